using Azure.Core;
using Azure.Core.Pipeline;

namespace ScholarFx.Core.Storage;

/// <summary>
/// The fence of a lease holder's writes, checked by every storage client as each request (and each retry of it) is
/// about to leave: work run inside <see cref="Enter"/> sends nothing once its lease is no longer
/// <see cref="CorpusLease.Held"/> — whatever cancellation token the request carries, and even where the timer that
/// cancels <see cref="CorpusLease.Lost"/> has not fired yet. Such a request fails with an
/// <see cref="OperationCanceledException"/> once <see cref="CorpusLease.Lost"/> is cancelled, which the holder treats
/// as the lease lost. The scope flows with the work (an async local) and ends with it: a task that outlives it is not
/// fenced. Two instances sit in each pipeline: one per retry refuses the send; one per call, outside the retries,
/// answers a call some attempt of which was refused with that exception (the retry policy takes a refusal for a
/// request whose own token is not cancelled as a timeout, retries it and would end with an aggregate of them).
/// </summary>
public sealed class LeaseFence : HttpPipelinePolicy
{
    private static readonly AsyncLocal<Scope?> Current = new();

    private readonly bool perRetry;

    private LeaseFence(bool perRetry) => this.perRetry = perRetry;

    /// <summary>The policy every storage client carries per call, around its retries.</summary>
    public static LeaseFence PerCall { get; } = new(perRetry: false);

    /// <summary>The policy every storage client carries per retry, so each attempt is checked as it leaves.</summary>
    public static LeaseFence PerRetry { get; } = new(perRetry: true);

    /// <summary>Fences the storage requests of the work that follows (until the result is disposed) by <paramref name="lease"/>.</summary>
    public static IDisposable Enter(CorpusLease lease)
    {
        var scope = new Scope(lease, Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <inheritdoc/>
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Refused() is { } refused)
        {
            throw refused;
        }

        if (perRetry)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            return;
        }

        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && Refused() is { } lost)
        {
            throw new OperationCanceledException(lost.Message, e, lost.CancellationToken);
        }
    }

    // The refusal for a request sent now under a lease no longer held, or null.
    private static OperationCanceledException? Refused()
    {
        for (var scope = Current.Value; scope is not null; scope = scope.Outer)
        {
            if (scope.Active && !scope.Lease.Held)
            {
                scope.Lease.MarkLost();
                return new OperationCanceledException("The corpus lease this work runs under is no longer held: the request was not sent.", scope.Lease.LostOrCancelled);
            }
        }

        return null;
    }

    private sealed class Scope(CorpusLease lease, Scope? outer) : IDisposable
    {
        private int ended;

        public CorpusLease Lease { get; } = lease;

        public Scope? Outer { get; } = outer;

        public bool Active => Volatile.Read(ref ended) == 0;

        public void Dispose()
        {
            Interlocked.Exchange(ref ended, 1);
            if (Current.Value == this)
            {
                Current.Value = Outer;
            }
        }
    }
}

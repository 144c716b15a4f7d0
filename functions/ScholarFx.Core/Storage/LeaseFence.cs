using Azure.Core;
using Azure.Core.Pipeline;

namespace ScholarFx.Core.Storage;

/// <summary>
/// The fence of a lease holder's writes, checked by every storage client as each request (and each retry of it) is
/// about to leave: work run inside <see cref="Enter"/> sends nothing once its lease is no longer
/// <see cref="CorpusLease.Held"/> — whatever cancellation token the request carries, and even where the timer that
/// cancels <see cref="CorpusLease.Lost"/> has not fired yet. Such a request fails with an
/// <see cref="OperationCanceledException"/> on <see cref="CorpusLease.Lost"/> (cancelled by then), which the holder
/// treats as the lease lost. The scope flows with the work (an async local) and ends with it: a task that outlives it
/// is not fenced.
/// </summary>
public sealed class LeaseFence : HttpPipelineSynchronousPolicy
{
    private static readonly AsyncLocal<Scope?> Current = new();

    private LeaseFence()
    {
    }

    /// <summary>The policy every storage client carries (per retry, so a retry is checked too).</summary>
    public static LeaseFence Policy { get; } = new();

    /// <summary>Fences the storage requests of the work that follows (until the result is disposed) by <paramref name="lease"/>.</summary>
    public static IDisposable Enter(CorpusLease lease)
    {
        var scope = new Scope(lease, Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <inheritdoc/>
    public override void OnSendingRequest(HttpMessage message)
    {
        for (var scope = Current.Value; scope is not null; scope = scope.Outer)
        {
            if (scope.Active && !scope.Lease.Held)
            {
                scope.Lease.MarkLost();
                throw new OperationCanceledException("The corpus lease this work runs under is no longer held: the request was not sent.", scope.Lease.Lost);
            }
        }
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

using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace ScholarFx.Core.Storage;

/// <summary>
/// An exclusive, self-renewing lease on a lock blob in the corpus container, so that one settling or rescore runs at a
/// time across every instance and process. A holder that dies stops renewing and the lease lapses within a minute. A
/// holder that can no longer be sure it holds the lease — a renewal failed (the lease was broken or taken), or none
/// succeeded for three quarters of the lease's length (a quarter is kept as a margin for requests in flight) — sees
/// <see cref="Lost"/> cancelled, and stops writing before another instance can have taken the lease. Renewals come every
/// third of the length, so a holder that renews normally never comes near it. Work done under <see cref="LeaseFence"/>
/// is also checked against the clock as each storage request leaves (<see cref="Held"/>), so neither a token not passed
/// on nor a timer that fired late (a stalled process) lets a request out after that point.
/// </summary>
public sealed class CorpusLease : IAsyncDisposable
{
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    private readonly TimeSpan duration;
    private readonly BlobLeaseClient lease;
    private readonly CancellationTokenSource renewing = new();
    private readonly CancellationTokenSource lost = new();
    private readonly Task renewal;
    private readonly ILogger logger;

    // The Stopwatch timestamp after which this holder sends nothing (the last renewal asked for, plus the deadline).
    private long heldUntil;

    private CorpusLease(BlobLeaseClient lease, TimeSpan duration, long asked, ILogger logger)
    {
        this.lease = lease;
        this.duration = duration;
        this.logger = logger;
        Renewed(asked);
        renewal = RenewAsync(renewing.Token);
    }

    // How long after a successful renewal (or the acquisition) the holder still writes: a quarter before the lease could lapse.
    private TimeSpan Deadline => duration * 3 / 4;

    /// <summary>Cancelled once this holder cannot be sure it still holds the lease: every write done under it stops.</summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>
    /// Whether this holder may still send a request: <see cref="Lost"/> not cancelled and, by the clock, less than the
    /// deadline since the last renewal was asked for — so false on time even where the timer that cancels
    /// <see cref="Lost"/> has not fired yet (a process that stalled and just woke up).
    /// </summary>
    public bool Held => !lost.IsCancellationRequested && Stopwatch.GetTimestamp() < Volatile.Read(ref heldUntil);

    /// <summary><see cref="Lost"/>, or a cancelled token once this holder is disposed.</summary>
    internal CancellationToken LostOrCancelled
    {
        get
        {
            try
            {
                return lost.Token;
            }
            catch (ObjectDisposedException)
            {
                return new CancellationToken(canceled: true);
            }
        }
    }

    /// <summary>Cancels <see cref="Lost"/> (a request found the lease no longer <see cref="Held"/>).</summary>
    internal void MarkLost()
    {
        try
        {
            lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Released already: nothing is written under it any more.
        }
    }

    /// <summary>Takes the lease named <paramref name="name"/>, or null when another holder has it.</summary>
    public static Task<CorpusLease?> TryAcquireAsync(ScholarFxStorage storage, string name, ILogger logger, CancellationToken cancellationToken) =>
        TryAcquireAsync(storage, name, DefaultDuration, logger, cancellationToken);

    /// <summary>As <see cref="TryAcquireAsync(ScholarFxStorage, string, ILogger, CancellationToken)"/>, for a lease of <paramref name="duration"/> (15–60 s).</summary>
    internal static async Task<CorpusLease?> TryAcquireAsync(ScholarFxStorage storage, string name, TimeSpan duration, ILogger logger, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var blob = storage.Corpus.GetBlobClient("locks/" + name);
        if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString(name), overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                // Created (and maybe leased) by another instance at the same moment.
            }
        }

        var client = blob.GetBlobLeaseClient();
        try
        {
            var asked = Stopwatch.GetTimestamp();
            await client.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new CorpusLease(client, duration, asked, logger);
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
        {
            return null;
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(duration / 3, cancellationToken).ConfigureAwait(false);
                var asked = Stopwatch.GetTimestamp();
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                Renewed(asked);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "Renewing the corpus lease {Lease} failed; this holder stops writing, and another instance may take it", lease.LeaseId);
            await lost.CancelAsync().ConfigureAwait(false);
        }
    }

    // Counted from when the renewal (or the acquisition) was asked for, not answered: the lease runs from some moment between.
    private void Renewed(long asked)
    {
        var left = Deadline - Stopwatch.GetElapsedTime(asked);
        if (left <= TimeSpan.Zero)
        {
            // Answered too late to be sure of anything.
            MarkLost();
            return;
        }

        Volatile.Write(ref heldUntil, asked + (long)(Deadline.TotalSeconds * Stopwatch.Frequency));
        lost.CancelAfter(left);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await renewing.CancelAsync().ConfigureAwait(false);
        await renewal.ConfigureAwait(false);
        renewing.Dispose();
        lost.Dispose();
        try
        {
            await lease.ReleaseAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Releasing the corpus lease failed; it lapses by itself within a minute");
        }
    }
}

using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// One invocation at a time per blob version: the receipt names its owner and a lease expiry. The owner renews the
/// lease while it works; a duplicate event waits for the owner, and takes over once an owner that died lets the lease
/// run out.
/// </summary>
public sealed class VersionLease(ReceiptStore receipts, IOptions<IngestOptions> options, TimeProvider clock, ILogger<VersionLease> logger)
{
    private static readonly TimeSpan PollHolder = TimeSpan.FromSeconds(2);

    /// <summary>How long a claim holds without renewal (<see cref="IngestOptions.LeaseSeconds"/>).</summary>
    public TimeSpan Length => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>
    /// The version's receipt once no other invocation holds it: a duplicate event for a version being ingested waits
    /// for the holder to finish (or, when the holder died, for its lease to run out, and then takes over), and after
    /// <see cref="IngestOptions.LeaseSeconds"/> × 4 of a holder still renewing it throws, so the host tries again later.
    /// </summary>
    public async Task<(Receipt? Receipt, ETag ETag)> WaitForHolderAsync(string blobName, string blobETag, CancellationToken cancellationToken)
    {
        var giveUp = clock.GetUtcNow() + (Length * 4);
        while (true)
        {
            var (existing, etag) = await receipts.GetAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            if (existing is null || !existing.HeldAt(now))
            {
                return (existing, etag);
            }

            if (now >= giveUp)
            {
                throw new IngestBusyException($"Blob {blobName} version {blobETag} is being ingested by another invocation (lease until {existing.LeaseUntil:O}); try again later");
            }

            logger.LogInformation("Blob {Blob} version {ETag} is being ingested by another invocation; waiting for it (lease until {LeaseUntil:O})", blobName, blobETag, existing.LeaseUntil);
            var wait = existing.LeaseUntil!.Value - now;
            await Task.Delay(wait < PollHolder ? wait + TimeSpan.FromMilliseconds(50) : PollHolder, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Claims the version for this invocation: a receipt <c>processing</c> with a new owner and lease (resuming after
    /// the last checkpoint of an earlier attempt), written on condition of the receipt read; null when another
    /// invocation claimed it first. A claim whose answer was lost, so that the client's retry conflicted with the claim
    /// itself, is recognised as this one's by its owner.
    /// </summary>
    public async Task<Receipt?> ClaimAsync(string blobName, string blobETag, Receipt? existing, ETag receiptETag, int attempts, CancellationToken cancellationToken)
    {
        var receipt = existing is { Checkpoint: > 0 }
            ? existing with { Status = ReceiptStatus.Processing, Attempts = attempts, ResumedFrom = existing.Checkpoint, CompletedAt = null }
            : new Receipt
            {
                Blob = blobName,
                BlobETag = blobETag,
                Status = ReceiptStatus.Processing,
                Attempts = attempts,
                StartedAt = clock.GetUtcNow(),
                LastFailure = existing?.LastFailure,
            };
        receipt = receipt with { Owner = Guid.NewGuid().ToString("N"), LeaseUntil = clock.GetUtcNow() + Length };
        if (await receipts.TryWriteAsync(receipt, existing is null ? null : receiptETag, cancellationToken).ConfigureAwait(false))
        {
            return receipt;
        }

        return (await receipts.GetAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false)).Receipt?.Owner == receipt.Owner ? receipt : null;
    }

    /// <summary>Renews the claim's lease every third of its length until stopped; a failed renewal is logged and tried again.</summary>
    public async Task RenewAsync(Receipt claim, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Length / 3, clock, stop).ConfigureAwait(false);
                try
                {
                    await receipts.RenewAsync(claim.Blob, claim.BlobETag, claim.Owner!, clock.GetUtcNow() + Length, stop).ConfigureAwait(false);
                }
                catch (RequestFailedException e)
                {
                    logger.LogWarning(e, "Renewing the lease on {Blob} failed; trying again", claim.Blob);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The attempt ended.
        }
    }
}

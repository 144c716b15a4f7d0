using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>What one sweep found and did.</summary>
/// <param name="Unfinished">Receipts still <c>processing</c>.</param>
/// <param name="Resumed">Versions whose holder was gone, ingested again (to a final receipt, or to poison past the attempt limit).</param>
/// <param name="Replaced">Versions no longer in <c>abstracts</c> (overwritten or deleted), closed as failed.</param>
/// <param name="Failed">Versions whose resumed attempt failed again; the next sweep tries them again.</param>
public sealed record SweepResult(int Unfinished, int Resumed, int Replaced, int Failed);

/// <summary>
/// Finishes what no trigger will: a receipt left <c>processing</c> whose holder is gone — the process was killed on the
/// last attempt the host would make, or every retry of its event was lost. A version still in <c>abstracts</c> is
/// ingested again (it resumes after its checkpoint, or is recorded as poison past <see cref="IngestOptions.MaxAttempts"/>);
/// a version overwritten or deleted since is closed as failed. A version whose lease still runs is left to its holder.
/// </summary>
public sealed class ReceiptSweeper(ScholarFxStorage storage, ReceiptStore receipts, IIngestService ingest, IOptions<IngestOptions> options, TimeProvider clock, ILogger<ReceiptSweeper> logger)
{
    /// <summary>Sweeps every unfinished receipt once.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var unfinished = await receipts.ListUnfinishedAsync(cancellationToken).ConfigureAwait(false);
        // A receipt written before leases existed has none: it counts as abandoned once it is older than a lease.
        var now = clock.GetUtcNow();
        var abandoned = unfinished.Where(r => (r.LeaseUntil ?? r.StartedAt + TimeSpan.FromSeconds(options.Value.LeaseSeconds)) < now).ToList();
        int resumed = 0, replaced = 0, failed = 0;
        foreach (var receipt in abandoned)
        {
            var current = await CurrentVersionAsync(receipt.Blob, cancellationToken).ConfigureAwait(false);
            if (current != receipt.BlobETag)
            {
                await receipts.WriteAsync(receipt.FailedWith(current is null
                    ? "the blob was deleted before this version was ingested"
                    : "the blob was replaced before this version was ingested; the new version is ingested on its own", now), cancellationToken).ConfigureAwait(false);
                replaced++;
                continue;
            }

            try
            {
                var done = await ingest.IngestAsync(receipt.Blob, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Sweep: {Blob} version {ETag} had no live holder; ingested again ({Status})", receipt.Blob, receipt.BlobETag, done.Status);
                resumed++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sweep: {Blob} version {ETag} failed again; the next sweep tries again", receipt.Blob, receipt.BlobETag);
                failed++;
            }
        }

        var result = new SweepResult(unfinished.Count, resumed, replaced, failed);
        if (abandoned.Count > 0)
        {
            logger.LogInformation("Receipt sweep: {Unfinished} unfinished, {Resumed} resumed, {Replaced} replaced or deleted, {Failed} failed again", result.Unfinished, result.Resumed, result.Replaced, result.Failed);
        }

        return result;
    }

    private async Task<string?> CurrentVersionAsync(string blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await storage.Abstracts.GetBlobClient(blob).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}

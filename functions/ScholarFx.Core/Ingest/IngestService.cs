using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>Ingests an abstract file.</summary>
public interface IIngestService
{
    /// <summary>
    /// Ingests the blob's current version: reads its ETag, then its content on condition of that ETag, so a blob
    /// overwritten meanwhile is never recorded as done with the other version's content (that attempt ends
    /// <c>failed</c>, "replaced while it was read"; the new version has its own event and receipt).
    /// </summary>
    Task<Receipt> IngestAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the records of <paramref name="content"/>, the version <paramref name="blobETag"/> of the blob, merges
    /// them into the corpus, scores and stores them, rebuilds the touched profiles and writes the version's receipt.
    /// A version already processed is not processed again.
    /// </summary>
    Task<Receipt> IngestAsync(string blobName, string blobETag, Stream content, CancellationToken cancellationToken);
}

/// <summary>
/// The ingest of one blob version, attempt by attempt: the receipt and its lease (<see cref="VersionLease"/>), the
/// records read, validated and stored in batches (<see cref="FileReader"/>, <see cref="BatchStore"/>), the final
/// receipt, and what a failed attempt leaves for the next (its checkpoint, poison, "replaced while read"). Bad records
/// are reported in the receipt and skipped; the input blob is only ever read.
/// </summary>
public sealed class IngestService(
    ScholarFxStorage storage,
    FileReader reader,
    ReceiptStore receipts,
    VersionLease lease,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<IngestService> logger) : IIngestService
{
    /// <inheritdoc/>
    public async Task<Receipt> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var blob = storage.Abstracts.GetBlobClient(blobName);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var (version, created, modified) = (properties.ETag, properties.CreatedOn, properties.LastModified);
        // Opening reads nothing yet; every read of the content is on condition of this version.
        var content = await blob.OpenReadAsync(
            new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false) { Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = version } },
            cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            return await IngestAsync(blobName, version.ToString(), content, properties: (created, modified), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task<Receipt> IngestAsync(string blobName, string blobETag, Stream content, CancellationToken cancellationToken) =>
        IngestAsync(blobName, blobETag, content, properties: null, cancellationToken);

    private async Task<Receipt> IngestAsync(string blobName, string blobETag, Stream content, (DateTimeOffset Created, DateTimeOffset Modified)? properties, CancellationToken cancellationToken)
    {
        using var activity = ScholarFxTelemetry.Source.StartActivity("ingest");
        activity?.SetTag("scholarfx.blob", blobName);
        activity?.SetTag("scholarfx.blob.etag", blobETag);
        try
        {
            var receipt = await AttemptAsync(blobName, blobETag, content, properties, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("scholarfx.receipt.status", receipt.Status);
            activity?.SetTag("scholarfx.receipt.attempts", receipt.Attempts);
            return receipt;
        }
        catch (Exception e)
        {
            ScholarFxTelemetry.Failed(activity, e);
            throw;
        }
    }

    private async Task<Receipt> AttemptAsync(string blobName, string blobETag, Stream content, (DateTimeOffset Created, DateTimeOffset Modified)? properties, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var (existing, receiptETag) = await lease.WaitForHolderAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false);
        if (existing is { IsFinal: true })
        {
            logger.LogInformation("Blob {Blob} version {ETag} was already ingested ({Status}); skipped", blobName, blobETag, existing.Status);
            return existing;
        }

        // Every invocation of this version counts, as the host counts them: after MaxAttempts failures (host.json's
        // poisonBlobThreshold) the host stops retrying, so the attempt that reaches it records poison itself.
        var attempts = (existing?.Attempts ?? 0) + 1;
        if (attempts > options.Value.MaxAttempts)
        {
            var poison = existing! with { Status = ReceiptStatus.Poison, CompletedAt = clock.GetUtcNow() };
            await FinishAsync(poison, cancellationToken).ConfigureAwait(false);
            logger.LogError("Blob {Blob} version {ETag} failed {Attempts} times; recorded as poison and skipped", blobName, blobETag, existing.Attempts);
            return poison;
        }

        if (await lease.ClaimAsync(blobName, blobETag, existing, receiptETag, attempts, cancellationToken).ConfigureAwait(false) is not { } receipt)
        {
            // Another invocation took this blob version at the same moment; it owns the receipt.
            logger.LogWarning("Blob {Blob} version {ETag} is being ingested by another invocation; skipped", blobName, blobETag);
            return (await receipts.GetAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false)).Receipt ?? existing!;
        }

        if (receipt.ResumedFrom > 0)
        {
            logger.LogInformation("Blob {Blob} version {ETag}: resuming after record {Checkpoint} (attempt {Attempt})", blobName, blobETag, receipt.ResumedFrom, attempts);
        }

        using var stopRenewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = lease.RenewAsync(receipt, stopRenewing.Token);
        try
        {
            // An earlier attempt of this version that did not finish may have stopped between writing a paper and
            // projecting it into its authors' rows: this attempt re-projects what it finds already stored.
            var origin = await OriginAsync(blobName, blobETag, properties, receipt, cancellationToken).ConfigureAwait(false);
            var finished = await reader.ReadAndStoreAsync(origin, content, receipt, repair: existing is not null, cancellationToken).ConfigureAwait(false);
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await FinishAsync(finished with { LeaseUntil = null }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Ingested {Blob}: {Status}, {Created} created, {Updated} updated, {Merged} merged, {Rejected} rejected of {Read} records",
                blobName, finished.Status, finished.PapersCreated, finished.PapersUpdated, finished.PapersMerged, finished.RecordsRejected, finished.RecordsRead);
            return finished;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unexpected (storage down, a bug, a broken stream): record the attempt on the latest checkpoint and let
            // the host retry the invocation, which resumes after that checkpoint (the lease ends now: it need not wait).
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            var (latest, _) = await receipts.GetAsync(blobName, blobETag, CancellationToken.None).ConfigureAwait(false);
            var failed = (latest ?? receipt) with { LastFailure = e.GetType().Name + ": " + e.Message, LeaseUntil = null };
            if (e is RequestFailedException { Status: 412 })
            {
                // The blob was overwritten while this version was read: this version cannot be read whole any more,
                // and the new one is ingested by its own event under its own receipt.
                var replaced = failed.FailedWith("the blob was replaced while this version was read; the new version is ingested on its own", clock.GetUtcNow());
                await FinishAsync(replaced, CancellationToken.None).ConfigureAwait(false);
                logger.LogWarning("Blob {Blob} version {ETag} was replaced while it was read; recorded as failed, the new version has its own receipt", blobName, blobETag);
                return replaced;
            }

            if (attempts >= options.Value.MaxAttempts)
            {
                // The host will not call again: the receipt must not stay "processing".
                logger.LogError(e, "Blob {Blob} version {ETag} failed {Attempts} times; recorded as poison", blobName, blobETag, attempts);
                await FinishAsync(failed with { Status = ReceiptStatus.Poison, CompletedAt = clock.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await receipts.WriteAsync(failed, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Who sent the file and when (RecordOrigin): its folder, its blob's creation and last-modified times. Facts of the
    /// input, the same on every attempt and instance; a version that cannot be asked (gone, replaced) falls back to when
    /// its receipt was first claimed, which every attempt shares too.
    /// </summary>
    private async Task<RecordOrigin> OriginAsync(string blobName, string blobETag, (DateTimeOffset Created, DateTimeOffset Modified)? properties, Receipt receipt, CancellationToken cancellationToken)
    {
        if (properties is null)
        {
            try
            {
                var blob = await storage.Abstracts.GetBlobClient(blobName).GetPropertiesAsync(
                    new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = new ETag(blobETag) }, cancellationToken).ConfigureAwait(false);
                properties = (blob.Value.CreatedOn, blob.Value.LastModified);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                logger.LogInformation("Blob {Blob} version {ETag} has no properties to read; its records are dated by its receipt", blobName, blobETag);
            }
        }

        var (created, modified) = properties ?? (receipt.StartedAt, receipt.StartedAt);
        return RecordOrigin.Of(blobName, created == default ? modified : created, modified, 0);
    }

    /// <summary>Writes the final receipt of a version and counts it and its records in the service's metrics.</summary>
    private async Task FinishAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        await receipts.WriteAsync(receipt, cancellationToken).ConfigureAwait(false);
        ScholarFxTelemetry.Files.Add(1, new KeyValuePair<string, object?>("status", receipt.Status));
        foreach (var (outcome, count) in new[] { ("created", receipt.PapersCreated), ("updated", receipt.PapersUpdated), ("merged", receipt.PapersMerged), ("unchanged", receipt.PapersUnchanged), ("rejected", receipt.RecordsRejected) })
        {
            if (count > 0)
            {
                ScholarFxTelemetry.Records.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
            }
        }
    }
}

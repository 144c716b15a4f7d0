using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Reads a file's records (its format detected from its head), rejects the invalid ones into the receipt, hands the
/// rest to <see cref="BatchStore"/> in batches, and writes a checkpoint every <see cref="IngestOptions.CheckpointEvery"/>
/// records so a later attempt resumes after it.
/// </summary>
public sealed class FileReader(
    FormatDetector detector,
    RecordValidator validator,
    BatchStore batches,
    ReceiptStore receipts,
    VersionLease lease,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<FileReader> logger)
{
    /// <summary>
    /// Text (title + abstract characters) one batch may hold before it is handed over, whatever the batch size: a
    /// record in flight costs many times its text, so 100 records of 256K characters each took the process past
    /// 800 MiB. Ordinary abstracts (a few thousand characters) never reach it.
    /// </summary>
    internal const int MaxBatchChars = 1024 * 1024;

    /// <summary>Reads the file's records and stores them batch by batch; returns the receipt with the file's outcome.</summary>
    /// <param name="file">Who sent the file and when: every record carries it, numbered by its place in the file.</param>
    /// <param name="content">The file's content.</param>
    /// <param name="receipt">The receipt of this attempt (its checkpoint is where a resumed attempt starts).</param>
    /// <param name="repair">True after an attempt that did not finish (see <see cref="BatchStore"/>).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    internal async Task<Receipt> ReadAndStoreAsync(RecordOrigin file, Stream content, Receipt receipt, bool repair, CancellationToken cancellationToken)
    {
        var blobName = file.File;
        var (format, stream, problem) = await detector.DetectAsync(content, blobName, cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        if (format is null)
        {
            return receipt with
            {
                Status = ReceiptStatus.Failed,
                Errors = [new IngestError("file", problem ?? "unreadable")],
                CompletedAt = clock.GetUtcNow(),
            };
        }

        if (format is IdentityCorrectionsFormat)
        {
            // Uploading papers does not make anyone a curator: corrections change who a researcher is.
            logger.LogWarning("Refused identity corrections file {Blob} in the uploaders' container", blobName);
            return receipt with
            {
                Format = format.Name,
                Status = ReceiptStatus.Failed,
                Errors = [new IngestError("file", "identity corrections are not taken from uploaded files; a curator sends them to POST /api/admin/identity (docs/identity.md). Nothing was changed.")],
                RecordsRejected = 1,
                CompletedAt = clock.GetUtcNow(),
            };
        }

        // A resumed attempt carries on the counts and errors of the records before its checkpoint, and skips them.
        var resumeAfter = receipt.ResumedFrom;
        var tally = new IngestTally(options.Value.MaxErrorDetails) { File = StorageNames.AbstractsContainer + "/" + blobName };
        if (resumeAfter > 0)
        {
            tally.Restore(receipt, await receipts.AllErrorsAsync(receipt, cancellationToken).ConfigureAwait(false));
        }

        var batch = new List<SourceRecord>(options.Value.BatchSize);
        var storing = Task.CompletedTask;
        var read = 0;
        var batchChars = 0L;
        var checkpoint = resumeAfter;
        DateOnly? watermark = null;
        try
        {
            await foreach (var item in format.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                if (++read <= resumeAfter)
                {
                    continue;
                }

                if (item.Error is { } error)
                {
                    tally.Reject(error);
                }
                else if (RecordValidator.WithoutBadAuthorFields(item.Record!) is var (record, warnings) && validator.Problem(record) is { } invalid)
                {
                    tally.Reject(new IngestError(record.Location, invalid));
                }
                else
                {
                    foreach (var warning in warnings)
                    {
                        tally.Warn(new IngestError(record.Location, warning));
                    }

                    batch.Add(record with { Origin = file with { Ordinal = read } });
                    batchChars += record.Title!.Length + record.Abstract!.Length;
                }

                if (batch.Count >= options.Value.BatchSize || batchChars >= MaxBatchChars)
                {
                    storing = await batches.HandOverAsync(storing, batch, tally, repair, cancellationToken).ConfigureAwait(false);
                    watermark = await AdvanceAsync(receipt, batch, watermark, cancellationToken).ConfigureAwait(false);
                    batch = new List<SourceRecord>(options.Value.BatchSize);
                    batchChars = 0;
                    if (read - checkpoint >= options.Value.CheckpointEvery)
                    {
                        // Everything read so far stored or rejected: a restart resumes after it.
                        await storing.ConfigureAwait(false);
                        await batches.CompleteAsync(cancellationToken).ConfigureAwait(false);
                        checkpoint = read;
                        await receipts.WriteAsync(Progress(receipt, format, read, tally) with { Status = ReceiptStatus.Processing, LeaseUntil = clock.GetUtcNow() + lease.Length, Watermark = watermark }, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (read % options.Value.ProgressEvery == 0)
                {
                    logger.LogInformation("Ingesting {Blob}: {Records} records read, {Rejected} rejected", blobName, read, tally.Rejected);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The batch being written finishes before the failure is reported, so a retry never races it.
            await storing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        // The last batch writes the refreshes the file's batches gathered with its own rows.
        storing = await batches.HandOverAsync(storing, batch, tally, repair, cancellationToken, complete: true).ConfigureAwait(false);
        await AdvanceAsync(receipt, batch, watermark, cancellationToken).ConfigureAwait(false);
        await storing.ConfigureAwait(false);
        var stored = tally.Created + tally.Updated + tally.Merged + tally.Unchanged;
        return Progress(receipt, format, read, tally) with
        {
            Status = tally.Rejected == 0 ? ReceiptStatus.Succeeded : stored > 0 ? ReceiptStatus.Partial : ReceiptStatus.Failed,
            LastFailure = null,
            CompletedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>
    /// Once the batches before it are stored and <paramref name="batch"/> is being stored: records the batch's earliest
    /// date as the file's watermark (<see cref="Receipt.Watermark"/>) when it moved. One merge a batch at most.
    /// </summary>
    private async Task<DateOnly?> AdvanceAsync(Receipt receipt, List<SourceRecord> batch, DateOnly? watermark, CancellationToken cancellationToken)
    {
        var earliest = batch.Where(r => r.Published is not null).Select(r => r.Published!.Value).DefaultIfEmpty(watermark ?? DateOnly.MinValue).Min();
        if (earliest == watermark)
        {
            return watermark;
        }

        await receipts.AdvanceAsync(receipt.Blob, receipt.BlobETag, earliest, cancellationToken).ConfigureAwait(false);
        return earliest;
    }

    /// <summary>The receipt with the counts so far; <paramref name="read"/> records are stored or rejected (the checkpoint).</summary>
    private static Receipt Progress(Receipt receipt, IRecordFormat format, int read, IngestTally tally) => receipt with
    {
        Format = format.Name,
        RecordsRead = read,
        PapersCreated = tally.Created,
        PapersUpdated = tally.Updated,
        PapersMerged = tally.Merged,
        PapersUnchanged = tally.Unchanged,
        RecordsRejected = tally.Rejected,
        RecordsWithWarnings = tally.Warned,
        Errors = tally.Errors(),
        Checkpoint = read,
    };
}

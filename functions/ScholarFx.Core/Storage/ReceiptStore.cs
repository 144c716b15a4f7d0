using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Ingest;

namespace ScholarFx.Core.Storage;

/// <summary>What happened to one version of an input blob.</summary>
public sealed record Receipt
{
    public required string Blob { get; init; }
    public required string BlobETag { get; init; }
    /// <summary><c>processing</c>, <c>succeeded</c>, <c>partial</c> (some records rejected), <c>failed</c> or <c>poison</c>.</summary>
    public required string Status { get; init; }
    public string? Format { get; init; }
    public int Attempts { get; init; }
    public int RecordsRead { get; init; }
    public int PapersCreated { get; init; }
    public int PapersUpdated { get; init; }
    public int PapersMerged { get; init; }
    public int PapersUnchanged { get; init; }
    public int RecordsRejected { get; init; }
    /// <summary>Records kept without a value they could not keep (listed among the errors with <c>warning: true</c>).</summary>
    public int RecordsWithWarnings { get; init; }
    /// <summary>The first 100 errors; the rest are in <see cref="MoreErrorsBlob"/>.</summary>
    public IReadOnlyList<IngestError> Errors { get; init; } = [];
    public string? MoreErrorsBlob { get; init; }
    public string? LastFailure { get; init; }
    /// <summary>Records read whose papers are stored: an attempt that stopped part-way resumes after them.</summary>
    public int Checkpoint { get; init; }
    /// <summary>The checkpoint the latest attempt resumed from (0: it started at the beginning).</summary>
    public int ResumedFrom { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>The invocation working on this version while it is <c>processing</c> (a random id per attempt).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Owner { get; init; }
    /// <summary>
    /// Until when <see cref="Owner"/> holds the version: renewed as it goes, so a duplicate event meanwhile leaves the
    /// version to it, and an owner that died gives it up when the lease runs out.
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>
    /// While <c>processing</c>: the earliest publication date the rest of the file may still add, as far as its reader
    /// can tell — the earliest date of the batch being stored (null before the first). Files ordered by date, as sources
    /// deliver them, move it forward; settling finalises only papers dated before every live file's watermark
    /// (<see cref="ReceiptStore.WatermarkAsync"/>), so a burst's work is done about once.
    /// </summary>
    public DateOnly? Watermark { get; init; }

    /// <summary>Whether an invocation holds the version at <paramref name="now"/> (a live lease on a receipt still processing).</summary>
    public bool HeldAt(DateTimeOffset now) => Status == ReceiptStatus.Processing && Owner is not null && LeaseUntil > now;

    /// <summary>The receipt closed as <c>failed</c> with one more file error: this version of the blob cannot be ingested any more.</summary>
    public Receipt FailedWith(string problem, DateTimeOffset at) => this with
    {
        Status = ReceiptStatus.Failed,
        Errors = [.. Errors, new IngestError("file", problem)],
        CompletedAt = at,
        LeaseUntil = null,
    };

    /// <summary>Receipt statuses after which a blob version is not processed again.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsFinal => Status is ReceiptStatus.Succeeded or ReceiptStatus.Partial or ReceiptStatus.Failed or ReceiptStatus.Poison;
}

/// <summary>Receipt statuses.</summary>
public static class ReceiptStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Succeeded = "succeeded";
    public const string Partial = "partial";
    public const string Failed = "failed";
    public const string Poison = "poison";
}

/// <summary>Receipts table: partition = escaped blob name, row = the blob version's ETag.</summary>
public sealed class ReceiptStore(ScholarFxStorage storage)
{
    private readonly InFlightFiles inFlight = new(storage);

    /// <summary>Errors kept inline in a receipt.</summary>
    public const int InlineErrors = 100;

    /// <summary>Most characters the inline errors take as JSON (a table property holds 32K).</summary>
    public const int MaxInlineErrorsChars = 30_000;

    public async Task<(Receipt? Receipt, ETag ETag)> GetAsync(string blob, string blobETag, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Receipts.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(blob), RowKey(blobETag), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : (null, default);
    }

    /// <summary>
    /// Every receipt still <c>processing</c> (a small set: files being ingested, or left by an attempt that died): a scan
    /// of the receipts (the in-flight rows have no status), for the sweeper every 15 minutes, which so also finds
    /// receipts written before the in-flight rows existed.
    /// </summary>
    public Task<List<Receipt>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Status eq {ReceiptStatus.Processing}"), cancellationToken);

    /// <summary>Every receipt of a blob (one per version), newest first.</summary>
    public async Task<IReadOnlyList<Receipt>> ListAsync(string blob, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(blob)}"), cancellationToken).ConfigureAwait(false)).OrderByDescending(r => r.StartedAt)];

    private async Task<List<Receipt>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var receipts = new List<Receipt>();
        await foreach (var row in storage.Receipts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            receipts.Add(FromEntity(row));
        }

        return receipts;
    }

    /// <summary>Writes the receipt; with <paramref name="ifMatch"/> only if unchanged since read (false when another writer won).</summary>
    public async Task<bool> TryWriteAsync(Receipt receipt, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var entity = await ToEntityAsync(receipt, cancellationToken).ConfigureAwait(false);
        try
        {
            if (ifMatch is { } etag && etag != default)
            {
                await storage.Receipts.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await storage.Receipts.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            await inFlight.TrackAsync(receipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
        {
            return false;
        }
    }

    /// <summary>Extends the lease of the invocation working on a version; only the lease columns are written.</summary>
    public async Task RenewAsync(string blob, string blobETag, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var lease = new TableEntity(TableKey.Escape(blob), RowKey(blobETag)) { ["Owner"] = owner, ["LeaseUntil"] = leaseUntil };
        await storage.Receipts.UpdateEntityAsync(lease, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        await inFlight.RenewAsync(blob, blobETag, owner, leaseUntil, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records how far the file being ingested has come (<see cref="Receipt.Watermark"/>); only that column is written.</summary>
    public async Task AdvanceAsync(string blob, string blobETag, DateOnly watermark, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TableKey.Escape(blob), RowKey(blobETag)) { ["Watermark"] = watermark.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
        await storage.Receipts.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        await inFlight.AdvanceAsync(blob, blobETag, watermark, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The earliest date a file still being ingested may add a paper at: the least <see cref="Receipt.Watermark"/> of the
    /// files held by a live invocation (one without a watermark yet counts as the earliest date there is); null when
    /// no file is being ingested. A file whose holder died (lease run out) does not hold settling back. One query of
    /// the in-flight partition (<see cref="InFlightFiles"/>), whatever the number of receipts.
    /// </summary>
    public Task<DateOnly?> WatermarkAsync(DateTimeOffset now, CancellationToken cancellationToken) => inFlight.WatermarkAsync(now, cancellationToken);

    /// <summary>Writes the receipt unconditionally.</summary>
    public async Task WriteAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        var entity = await ToEntityAsync(receipt, cancellationToken).ConfigureAwait(false);
        await storage.Receipts.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await inFlight.TrackAsync(receipt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every error a receipt lists: the inline ones and those in its overflow blob.</summary>
    public async Task<List<IngestError>> AllErrorsAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        var errors = receipt.Errors.ToList();
        if (receipt.MoreErrorsBlob is { } blob)
        {
            var content = await storage.Data.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            errors.AddRange(content.Value.Content.ToObjectFromJson<List<IngestError>>(ScholarFxJson.Options) ?? []);
        }

        return errors;
    }

    /// <summary>
    /// How many of the (capped) errors stay inline: at most <see cref="InlineErrors"/>, and no more than fit in
    /// <see cref="MaxInlineErrorsChars"/> as JSON, since escaping can make an error several times its length and a
    /// property over 32K characters would fail the receipt's write (and so the file).
    /// </summary>
    private static int InlineCount(List<IngestError> capped)
    {
        var chars = 2;
        for (var i = 0; i < capped.Count && i < InlineErrors; i++)
        {
            chars += JsonSerializer.Serialize(capped[i], ScholarFxJson.Options).Length + 1;
            if (chars > MaxInlineErrorsChars)
            {
                return i;
            }
        }

        return Math.Min(capped.Count, InlineErrors);
    }

    private static string RowKey(string blobETag) => TableKey.Escape(blobETag.Trim('"'));

    private async Task<TableEntity> ToEntityAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        string? overflow = receipt.MoreErrorsBlob;
        var capped = receipt.Errors.Select(e => e with { Location = Cap(e.Location, 100), Message = Cap(e.Message, 300) }).ToList();
        var fit = InlineCount(capped);
        if (fit < receipt.Errors.Count)
        {
            // One overflow blob per receipt, overwritten by each checkpoint; it keeps the errors uncut.
            overflow = "receipts/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(receipt.Blob + "\n" + receipt.BlobETag)))[..32] + ".json";
            await storage.Data.GetBlobClient(overflow).UploadAsync(
                BinaryData.FromObjectAsJson(receipt.Errors.Skip(fit), ScholarFxJson.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        var errorsJson = JsonSerializer.Serialize(capped.Take(fit), ScholarFxJson.Options);
        return new TableEntity(TableKey.Escape(receipt.Blob), RowKey(receipt.BlobETag))
        {
            ["Blob"] = receipt.Blob,
            ["BlobETag"] = receipt.BlobETag,
            ["Status"] = receipt.Status,
            ["Format"] = receipt.Format,
            ["Attempts"] = receipt.Attempts,
            ["RecordsRead"] = receipt.RecordsRead,
            ["PapersCreated"] = receipt.PapersCreated,
            ["PapersUpdated"] = receipt.PapersUpdated,
            ["PapersMerged"] = receipt.PapersMerged,
            ["PapersUnchanged"] = receipt.PapersUnchanged,
            ["RecordsRejected"] = receipt.RecordsRejected,
            ["RecordsWithWarnings"] = receipt.RecordsWithWarnings,
            ["Errors"] = errorsJson,
            ["MoreErrorsBlob"] = overflow,
            ["LastFailure"] = receipt.LastFailure is null ? null : Cap(receipt.LastFailure, 2000),
            ["Checkpoint"] = receipt.Checkpoint,
            ["ResumedFrom"] = receipt.ResumedFrom,
            ["StartedAt"] = receipt.StartedAt,
            ["CompletedAt"] = receipt.CompletedAt,
            ["Owner"] = receipt.Owner,
            ["LeaseUntil"] = receipt.LeaseUntil,
            ["Watermark"] = receipt.Watermark?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static Receipt FromEntity(TableEntity e) => new()
    {
        Blob = e.GetString("Blob"),
        BlobETag = e.GetString("BlobETag"),
        Status = e.GetString("Status"),
        Format = e.GetString("Format"),
        Attempts = e.GetInt32("Attempts") ?? 0,
        RecordsRead = e.GetInt32("RecordsRead") ?? 0,
        PapersCreated = e.GetInt32("PapersCreated") ?? 0,
        PapersUpdated = e.GetInt32("PapersUpdated") ?? 0,
        PapersMerged = e.GetInt32("PapersMerged") ?? 0,
        PapersUnchanged = e.GetInt32("PapersUnchanged") ?? 0,
        RecordsRejected = e.GetInt32("RecordsRejected") ?? 0,
        RecordsWithWarnings = e.GetInt32("RecordsWithWarnings") ?? 0,
        Errors = JsonSerializer.Deserialize<List<IngestError>>(e.GetString("Errors") ?? "[]", ScholarFxJson.Options) ?? [],
        MoreErrorsBlob = e.GetString("MoreErrorsBlob"),
        LastFailure = e.GetString("LastFailure"),
        Checkpoint = e.GetInt32("Checkpoint") ?? 0,
        ResumedFrom = e.GetInt32("ResumedFrom") ?? 0,
        StartedAt = e.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
        CompletedAt = e.GetDateTimeOffset("CompletedAt"),
        Owner = e.GetString("Owner"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        Watermark = DateOnly.TryParseExact(e.GetString("Watermark"), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var mark) ? mark : null,
    };

    private static string Cap(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}

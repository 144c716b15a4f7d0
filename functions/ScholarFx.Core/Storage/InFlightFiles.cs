using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// The file versions being ingested now, as rows of one partition of the Receipts table (<see cref="Partition"/>):
/// a row while a receipt is <c>processing</c>, with its holder, lease and watermark, deleted when the receipt is
/// final. Settling reads its watermark from this one partition, never from a scan of every receipt ever written,
/// which grows with every file a deployment has taken in. A row left by a holder that died between its final receipt
/// and the delete has a lease that runs out, and then counts for nothing.
/// </summary>
internal sealed class InFlightFiles(ScholarFxStorage storage)
{
    /// <summary>The partition: never an escaped blob name (an escaped key has <c>%</c> only before two hex digits).</summary>
    internal const string Partition = "%inflight";

    private static string Key(string blob, string blobETag) => TableKey.Escape(blob + "|" + blobETag.Trim('"'));

    /// <summary>Follows a receipt just written: a row while it is processing, none once it is not.</summary>
    public async Task TrackAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        if (receipt.Status == ReceiptStatus.Processing)
        {
            var row = new TableEntity(Partition, Key(receipt.Blob, receipt.BlobETag))
            {
                ["Owner"] = receipt.Owner,
                ["LeaseUntil"] = receipt.LeaseUntil,
                ["Watermark"] = Date(receipt.Watermark),
            };
            await storage.Receipts.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await storage.Receipts.DeleteEntityAsync(Partition, Key(receipt.Blob, receipt.BlobETag), ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The holder's lease, extended.</summary>
    public Task RenewAsync(string blob, string blobETag, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        MergeAsync(new TableEntity(Partition, Key(blob, blobETag)) { ["Owner"] = owner, ["LeaseUntil"] = leaseUntil }, cancellationToken);

    /// <summary>How far the file has come.</summary>
    public Task AdvanceAsync(string blob, string blobETag, DateOnly watermark, CancellationToken cancellationToken) =>
        MergeAsync(new TableEntity(Partition, Key(blob, blobETag)) { ["Watermark"] = Date(watermark) }, cancellationToken);

    /// <summary>The least watermark of the files a live holder is ingesting (one without a watermark: the earliest date); null when none.</summary>
    public async Task<DateOnly?> WatermarkAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateOnly? least = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in storage.Receipts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("Owner") is not null && row.GetDateTimeOffset("LeaseUntil") > now)
            {
                var mark = DateOnly.TryParseExact(row.GetString("Watermark"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : DateOnly.MinValue;
                least = least is { } l && l <= mark ? l : mark;
            }
        }

        return least;
    }

    // A merge that creates the row if a holder's receipt was written before this index existed.
    private async Task MergeAsync(TableEntity row, CancellationToken cancellationToken) =>
        await storage.Receipts.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

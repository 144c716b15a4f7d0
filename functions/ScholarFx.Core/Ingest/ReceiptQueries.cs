using Azure;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>What happened to an input file: the receipt of its latest version and of earlier versions.</summary>
public sealed record ReceiptView(string Id, string Status, Receipt? Latest, IReadOnlyList<Receipt> Earlier);

/// <summary>Reads receipts.</summary>
public interface IReceiptQueries
{
    /// <summary>The receipts of the blob named <paramref name="blobName"/>; <c>pending</c> when it exists but is not ingested yet; null when neither.</summary>
    Task<ReceiptView?> GetAsync(string blobName, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IReceiptQueries"/>
public sealed class ReceiptQueries(ReceiptStore receipts, ScholarFxStorage storage) : IReceiptQueries
{
    /// <inheritdoc/>
    public async Task<ReceiptView?> GetAsync(string blobName, CancellationToken cancellationToken)
    {
        var all = await receipts.ListAsync(blobName, cancellationToken).ConfigureAwait(false);
        string? currentETag = null;
        try
        {
            var properties = await storage.Abstracts.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            currentETag = properties.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsNotFound(e))
        {
            // The blob may have been removed by an operator; its receipts still answer.
        }

        if (all.Count == 0)
        {
            return currentETag is null ? null : new ReceiptView(blobName, ReceiptStatus.Pending, null, []);
        }

        var latest = currentETag is null ? all[0] : all.FirstOrDefault(r => r.BlobETag == currentETag);
        if (latest is null)
        {
            // The blob was replaced by a version not ingested yet.
            return new ReceiptView(blobName, ReceiptStatus.Pending, null, all);
        }

        return new ReceiptView(blobName, latest.Status, latest, [.. all.Where(r => !ReferenceEquals(r, latest))]);
    }
}

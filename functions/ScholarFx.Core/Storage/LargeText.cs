using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Strings that may exceed a table property's 32K characters (64 KiB) go to a blob in the data
/// container, named by a hash of the content; the entity keeps a reference.
/// </summary>
public sealed class LargeText(ScholarFxStorage storage)
{
    /// <summary>Longest string stored inline in a table property (the service limit is 32K UTF-16 characters).</summary>
    public const int MaxInlineChars = 30_000;

    private const string BlobPrefix = "blob:";

    /// <summary>The value to store in the property: the text itself, or a blob reference for long text.</summary>
    public async Task<string> StoreAsync(string kind, string text, CancellationToken cancellationToken)
    {
        if (text.Length <= MaxInlineChars && !text.StartsWith(BlobPrefix, StringComparison.Ordinal))
        {
            return text;
        }

        var name = $"{kind}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}.txt";
        var blob = storage.Data.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(text), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Same hash, same content: already stored.
        }

        return BlobPrefix + name;
    }

    /// <summary>The text a stored property value stands for.</summary>
    public async Task<string> LoadAsync(string? stored, CancellationToken cancellationToken)
    {
        if (stored is null || !stored.StartsWith(BlobPrefix, StringComparison.Ordinal))
        {
            return stored ?? "";
        }

        BlobClient blob = storage.Data.GetBlobClient(stored[BlobPrefix.Length..]);
        var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToString();
    }
}

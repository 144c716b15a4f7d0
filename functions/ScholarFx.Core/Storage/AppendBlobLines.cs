using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Appends lines to an append blob, a block of about a million characters at a time (a block takes at most 4 MiB;
/// callers pass lines escaped to ASCII, so a character is a byte). Callers choose the escaping that keeps a line
/// break out of a line, and whether a missing blob is created.
/// </summary>
internal static class AppendBlobLines
{
    private const int BlockChars = 1_000_000;

    /// <summary>Appends every line, each ended by a line break; returns what the last block's append answered, or null when there were none.</summary>
    public static async Task<BlobAppendInfo?> AppendAsync(AppendBlobClient blob, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        BlobAppendInfo? last = null;
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
            if (text.Length > BlockChars)
            {
                last = await AppendBlockAsync(blob, text.ToString(), cancellationToken).ConfigureAwait(false);
                text.Clear();
            }
        }

        if (text.Length > 0)
        {
            last = await AppendBlockAsync(blob, text.ToString(), cancellationToken).ConfigureAwait(false);
        }

        return last;
    }

    private static async Task<BlobAppendInfo> AppendBlockAsync(AppendBlobClient blob, string text, CancellationToken cancellationToken)
    {
        using var block = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return (await blob.AppendBlockAsync(block, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
    }
}

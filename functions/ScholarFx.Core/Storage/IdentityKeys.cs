using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Every key the Identities table may hold a row under, as an append blob (<c>scholarfx-data/identities/keys</c>, one
/// key a line), so a batch reads the identities of the few names that have one instead of a point read per name that
/// almost always misses. A writer appends a key before it writes the key's first row (<see cref="IdentityStore"/>),
/// so a key missing from the blob has no row; each instance keeps what it read and reads only what was appended since
/// (one ranged read a batch). The blob is started from a scan of the table's keys (rows written before it existed)
/// and marked complete only then: until an instance sees it complete it reads every key, as before.
/// </summary>
public sealed class IdentityKeys(ScholarFxStorage storage)
{
    private const string BlobName = "identities/keys";
    private const string CompleteMetadata = "complete";

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private long offset;
    private bool complete;

    private AppendBlobClient Blob => storage.Data.GetAppendBlobClient(BlobName);

    /// <summary>
    /// The keys that may have a row, with what was appended since the last call (one request); null while the blob is
    /// not complete (every key must then be read).
    /// </summary>
    public async Task<IReadOnlySet<string>?> CurrentAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await CatchUpAsync(cancellationToken).ConfigureAwait(false))
            {
                await StartAsync(cancellationToken).ConfigureAwait(false);
                await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            }

            return complete ? new HashSet<string>(keys, StringComparer.Ordinal) : null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Records keys before rows are written under them (the blob is started first when it does not exist).</summary>
    public async Task AddAsync(IReadOnlyCollection<string> added, CancellationToken cancellationToken)
    {
        if (added.Count == 0)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AppendAsync(added, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            await AppendAsync(added, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "BlockCountExceedsLimit")
        {
            // An append blob holds 50,000 blocks: past that the blob stops vouching for missing keys, and every
            // instance reads every key again (as before the blob existed).
            await Blob.SetMetadataAsync(new Dictionary<string, string>(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    // One key a line, escaped so that no key can hold a line break.
    private Task AppendAsync(IEnumerable<string> lines, CancellationToken cancellationToken) =>
        AppendBlobLines.AppendAsync(Blob, lines.Select(Uri.EscapeDataString), cancellationToken);

    /// <summary>Reads what was appended since the last read (and whether the blob is complete); false when it does not exist yet.</summary>
    private async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            // From the last byte already read (a line break), so the range is never empty and the answer always
            // carries the blob's metadata: one request whether or not anything was appended.
            var from = Math.Max(0, offset - 1);
            var response = await Blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(from) }, cancellationToken).ConfigureAwait(false);
            var content = response.Value.Content.ToArray();
            var skip = (int)(offset - from);
            foreach (var line in Encoding.UTF8.GetString(content, skip, content.Length - skip).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                keys.Add(Uri.UnescapeDataString(line));
            }

            offset = from + content.Length;
            complete = response.Value.Details.Metadata.ContainsKey(CompleteMetadata);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // Created but empty: another instance is still scanning the table into it.
            complete = false;
            return true;
        }
    }

    /// <summary>
    /// Creates the blob (if no other instance did) with the keys of every row already stored, then marks it complete;
    /// writers that meet the new blob append after the scan's block or before it, either way before their rows.
    /// </summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Blob.CreateAsync(new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance started it: it marks it complete after its scan.
            return;
        }

        // The first block: a line of its own (so the blob is never empty), then the key of every row stored so far.
        var existing = new List<string> { "" };
        await foreach (var row in storage.Identities.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            existing.Add(TableKey.Unescape(row.PartitionKey));
        }

        await AppendAsync(existing, cancellationToken).ConfigureAwait(false);

        await Blob.SetMetadataAsync(new Dictionary<string, string> { [CompleteMetadata] = "true" }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

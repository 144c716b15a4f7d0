using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Settle;

/// <summary>
/// What settling still owes, kept in the corpus container so that a round that stops — its lease lost, its process
/// gone — leaves nothing behind:
/// <list type="bullet">
/// <item><c>settle/round.json</c>: the papers a round is about to write, from before its first paper write until those
/// papers are written and the corpus view told. A round that stopped in between leaves the list, and the next holder
/// tells the view what those papers hold as stored before it settles anything.</item>
/// <item><c>settle/owed</c> (an append blob, a paper id a line, as a JSON string): the papers whose scores a round wrote while files were
/// still arriving, whose authors are rendered once, by the round that ends the burst — not by every round that
/// touched them. Each round appends its papers before writing them; the round that ends the burst renders the authors
/// of every paper listed and then deletes the blob. A line <see cref="RenderingMark"/> says such a round started
/// rendering: one that stopped may have committed profiles without their ranking and name rows, so the next writes
/// those again.</item>
/// </list>
/// Invariant: every paper not owed has its authors' rows as the stored paper says.
/// </summary>
internal sealed class SettleRound(ScholarFxStorage storage)
{
    private const string RenderingMark = "#rendering";

    private BlobClient Blob => storage.Corpus.GetBlobClient("settle/round.json");

    private AppendBlobClient Owed => storage.Corpus.GetAppendBlobClient("settle/owed");

    /// <summary>Records the papers this round is about to write.</summary>
    public async Task BeginAsync(IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Blob.UploadAsync(BinaryData.FromObjectAsJson(paperIds), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The papers of a round that did not end, or none.</summary>
    public async Task<IReadOnlyList<string>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await Blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<List<string>>() ?? [];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
        catch (JsonException)
        {
            // Cut short by a crash during the upload: nothing to finish that the next round would not redo.
            return [];
        }
    }

    /// <summary>The round's papers are written and the corpus view told.</summary>
    public async Task EndAsync(CancellationToken cancellationToken) =>
        await Blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Adds papers to those whose authors are owed a render (before their scores are written); returns how many
    /// appends the list holds now (about the rounds since it was last rendered), 0 when nothing was added.
    /// </summary>
    public async Task<int> OweAsync(IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken) =>
        paperIds.Count == 0 ? 0 : (await AppendAsync([.. paperIds.Select(id => JsonSerializer.Serialize(id))], cancellationToken).ConfigureAwait(false)).BlobCommittedBlockCount;

    /// <summary>Says a render of the owed papers' authors has started (see the type); returns the list's version after it.</summary>
    public async Task<ETag> RenderingAsync(CancellationToken cancellationToken) =>
        (await AppendAsync([RenderingMark], cancellationToken).ConfigureAwait(false)).ETag;

    /// <summary>The papers whose authors are owed a render, and whether an earlier render of them may have stopped half-way.</summary>
    public async Task<(IReadOnlyCollection<string> PaperIds, bool RenderStopped)> OwedAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        string text;
        try
        {
            text = (await Owed.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ([], false);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var stopped = false;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line == RenderingMark)
            {
                stopped = true;
            }
            else if (Id(line) is { } id)
            {
                ids.Add(id);
            }
        }

        return (ids, stopped);
    }

    private static string? Id(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<string>(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every owed paper's authors are rendered: nothing is owed — unless the list changed since
    /// <paramref name="rendered"/> (papers owed since stay owed; a render of them again is harmless).
    /// </summary>
    public async Task SettledAsync(ETag rendered, CancellationToken cancellationToken)
    {
        try
        {
            await Owed.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = rendered }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Appended to since: left for the next round that ends a burst.
        }
    }

    // A JSON string a line (escaped to ASCII, so no id holds a line break); the list is created by its first append.
    private async Task<BlobAppendInfo> AppendAsync(IReadOnlyCollection<string> lines, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await AppendBlobLines.AppendAsync(Owed, lines, cancellationToken).ConfigureAwait(false))!;
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsNotFound(e))
        {
            await Owed.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (await AppendBlobLines.AppendAsync(Owed, lines, cancellationToken).ConfigureAwait(false))!;
        }
    }
}

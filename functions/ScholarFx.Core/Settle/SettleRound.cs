using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Settle;

/// <summary>
/// The papers a settling round is about to write, kept in a blob (<c>settle/round.json</c> in the corpus container)
/// from before its first paper write until every author of them is rendered. A round that stopped in between — its
/// lease lost, its process gone — leaves the list behind, and the next holder of the settle lease renders those
/// papers' authors from the stored papers before it settles anything: a paper's scores never stay written without its
/// authors following, even where the corpus view already shows them (and no later round would see a change).
/// </summary>
internal sealed class SettleRound(ScholarFxStorage storage)
{
    private BlobClient Blob => storage.Corpus.GetBlobClient("settle/round.json");

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

    /// <summary>The round's authors are rendered: nothing is left to finish.</summary>
    public async Task EndAsync(CancellationToken cancellationToken) =>
        await Blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}

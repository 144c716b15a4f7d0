using System.Globalization;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Discovery;

/// <summary>
/// What finding by meaning shares: free text embedded by the scoring's own <see cref="ITextEmbedder"/>, the corpus
/// view's novelty index searched with <see cref="NoveltyIndex.Closest"/> (the exact cosine of the same 8-bit vectors
/// novelty uses: no second copy of the vectors), and results shown with their titles (one batched read).
/// </summary>
internal sealed class MeaningIndex(CorpusView view, ITextEmbedder embedder, IPaperStore papers)
{
    /// <summary>Results when <c>top</c> is not given.</summary>
    public const int DefaultTop = 10;

    /// <summary>Longest query or topic (characters).</summary>
    public const int MaxQueryChars = 1_000;

    /// <summary>The embedding model that measures every similarity.</summary>
    public string Model => embedder.Model;

    /// <summary>A requested <c>top</c>, the default when absent, or null when out of 1–<see cref="IPaperDiscovery.MaxTop"/>.</summary>
    public static int? Top(int? top) => top is null ? DefaultTop : top is >= 1 and <= IPaperDiscovery.MaxTop ? top : null;

    /// <summary>Free text as the index compares it: embedded by the scoring's model, quantised like every paper.</summary>
    public async Task<CorpusEntry> ProbeAsync(string text, CancellationToken cancellationToken)
    {
        var vector = (await embedder.EmbedAsync([text], cancellationToken).ConfigureAwait(false))[0];
        return new CorpusEntry { Id = "query", Published = DateOnly.MinValue, AliasKeys = [], AuthorKeys = [], Vector = vector };
    }

    /// <summary>Runs <paramref name="search"/> on the current view's index.</summary>
    public Task<T> SearchAsync<T>(Func<NoveltyIndex, T> search, CancellationToken cancellationToken) =>
        view.UseAsync(state => search(state.Index), cancellationToken);

    /// <summary>The papers as answered: id, title, date, category, similarity (four decimals), link.</summary>
    public async Task<FoundPapersView> ViewAsync(IReadOnlyList<Near> near, CancellationToken cancellationToken)
    {
        var titles = await papers.GetTitlesAsync([.. near.Select(n => n.Entry.Id)], cancellationToken).ConfigureAwait(false);
        return new FoundPapersView(
            [.. near.Select(n => new FoundPaperView(
                n.Entry.Id,
                titles.GetValueOrDefault(n.Entry.Id),
                n.Entry.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                n.Entry.Category,
                Math.Round(n.Similarity, 4),
                "/api/papers/" + Uri.EscapeDataString(n.Entry.Id)))],
            embedder.Model);
    }
}

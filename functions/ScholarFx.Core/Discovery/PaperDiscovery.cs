using System.Globalization;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Discovery;

/// <summary>A paper found by meaning: its similarity to the paper or query, and where to read it.</summary>
public sealed record FoundPaperView(string Id, string? Title, string Published, string? Category, double Similarity, string Href);

/// <summary>Papers nearest a paper or a query, most similar first, with the embedding model that measured them.</summary>
public sealed record FoundPapersView(IReadOnlyList<FoundPaperView> Papers, string Model);

/// <summary>An author found by topic: how close their closest papers are, and those papers.</summary>
public sealed record TopicAuthorView(string Id, string Name, double Score, int Papers, IReadOnlyList<FoundPaperView> Closest, string Href);

/// <summary>Authors ranked by how close their papers are to a topic, with the model that measured it.</summary>
public sealed record TopicAuthorsView(IReadOnlyList<TopicAuthorView> Authors, string Model, string Rule);

/// <summary>Similar papers and search by meaning, on the scoring's own exact index and embedding model.</summary>
public interface IPaperDiscovery
{
    /// <summary>Most results a request may ask for.</summary>
    const int MaxTop = 100;

    /// <summary>
    /// The papers nearest <paramref name="paperId"/> (any alias), optionally only those published before or after a
    /// day (<c>YYYY-MM-DD</c>, or <c>true</c> for the paper's own date: what it built on, what followed it). Null value
    /// for an unknown paper; a problem for bad input or a paper without an embedding yet.
    /// </summary>
    Task<QueryResult<FoundPapersView>> SimilarAsync(string paperId, int? top, string? before, string? after, CancellationToken cancellationToken);

    /// <summary>Papers ranked by the similarity of their embedding to the query's, filtered by primary category and dates.</summary>
    Task<QueryResult<FoundPapersView>> SearchAsync(string? query, string? category, string? from, string? to, int? top, CancellationToken cancellationToken);

    /// <summary>Authors ranked by how close their papers are to the topic (<see cref="PaperDiscovery.TopicRule"/>).</summary>
    Task<QueryResult<TopicAuthorsView>> AuthorsByTopicAsync(string? topic, int? top, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IPaperDiscovery"/>
/// <remarks>
/// No second copy of the vectors: both read the corpus view's novelty index (<see cref="NoveltyIndex.Closest"/>, the
/// exact cosine of the same 8-bit vectors novelty is computed from), and a query is embedded by the scoring's own
/// <see cref="ITextEmbedder"/>. One pass over the papers in the date range per request; titles come from one batched
/// read of the results.
/// </remarks>
public sealed class PaperDiscovery(CorpusView view, ITextEmbedder embedder, IPaperQueries paperQueries, IPaperStore papers) : IPaperDiscovery
{
    /// <summary>Results when <c>top</c> is not given.</summary>
    public const int DefaultTop = 10;

    /// <summary>Longest query (characters).</summary>
    public const int MaxQueryChars = 1_000;

    /// <inheritdoc/>
    public async Task<QueryResult<FoundPapersView>> SimilarAsync(string paperId, int? top, string? before, string? after, CancellationToken cancellationToken)
    {
        if (Top(top) is not { } size)
        {
            return QueryResult<FoundPapersView>.Invalid($"top is 1–{IPaperDiscovery.MaxTop}");
        }

        var paper = await paperQueries.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false);
        if (paper is null)
        {
            return QueryResult<FoundPapersView>.Ok(null);
        }

        var own = DateOnly.ParseExact(paper.Published, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!Bound(before, own, out var beforeDay) || !Bound(after, own, out var afterDay))
        {
            return QueryResult<FoundPapersView>.Invalid("before and after are a date (YYYY-MM-DD) or true (the paper's own date)");
        }

        var near = await view.UseAsync(state =>
        {
            if (state.Index.Get(paper.Id) is not { } entry)
            {
                return null;
            }

            // Strictly before or after: the day itself is excluded from either side.
            return state.Index.Closest(entry, size, afterDay?.AddDays(1), beforeDay?.AddDays(-1), c => c.Id != entry.Id);
        }, cancellationToken).ConfigureAwait(false);
        return near is null
            ? QueryResult<FoundPapersView>.Invalid($"paper {paper.Id} has no embedding yet (it is scored when it is settled or rescored)")
            : QueryResult<FoundPapersView>.Ok(await ViewAsync(near, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async Task<QueryResult<FoundPapersView>> SearchAsync(string? query, string? category, string? from, string? to, int? top, CancellationToken cancellationToken)
    {
        var text = query?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxQueryChars)
        {
            return QueryResult<FoundPapersView>.Invalid($"q is 1–{MaxQueryChars:N0} characters of free text");
        }

        if (Top(top) is not { } size)
        {
            return QueryResult<FoundPapersView>.Invalid($"top is 1–{IPaperDiscovery.MaxTop}");
        }

        if (!Day(from, out var fromDay) || !Day(to, out var toDay))
        {
            return QueryResult<FoundPapersView>.Invalid("from and to are dates (YYYY-MM-DD)");
        }

        var within = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        if (within?.Length > Ingest.RecordValidator.MaxCategoryChars)
        {
            return QueryResult<FoundPapersView>.Invalid($"category is at most {Ingest.RecordValidator.MaxCategoryChars} characters");
        }

        var probe = await ProbeAsync(text, cancellationToken).ConfigureAwait(false);
        var near = await view.UseAsync(
            state => state.Index.Closest(probe, size, fromDay, toDay, within is null ? null : c => string.Equals(c.Category, within, StringComparison.Ordinal)),
            cancellationToken).ConfigureAwait(false);
        return QueryResult<FoundPapersView>.Ok(await ViewAsync(near, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Papers nearest the topic that the author ranking is taken from.</summary>
    public const int TopicCandidates = 300;

    /// <summary>Papers of an author whose similarities are averaged.</summary>
    public const int TopicPapersPerAuthor = 3;

    /// <summary>How the authors of a topic are ranked, as the answer states it.</summary>
    public static readonly string TopicRule =
        $"the mean similarity of the author's {TopicPapersPerAuthor} papers closest to the topic (a missing one counts 0), among the {TopicCandidates} papers closest to it";

    /// <inheritdoc/>
    public async Task<QueryResult<TopicAuthorsView>> AuthorsByTopicAsync(string? topic, int? top, CancellationToken cancellationToken)
    {
        var text = topic?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxQueryChars)
        {
            return QueryResult<TopicAuthorsView>.Invalid($"topic is 1–{MaxQueryChars:N0} characters of free text");
        }

        if (Top(top) is not { } size)
        {
            return QueryResult<TopicAuthorsView>.Invalid($"top is 1–{IPaperDiscovery.MaxTop}");
        }

        var probe = await ProbeAsync(text, cancellationToken).ConfigureAwait(false);
        var near = await view.UseAsync(state => state.Index.Closest(probe, TopicCandidates), cancellationToken).ConfigureAwait(false);
        var authors = await papers.GetAuthorsAsync([.. near.Select(n => n.Entry.Id)], cancellationToken).ConfigureAwait(false);
        var byAuthor = near
            .SelectMany(n => authors.GetValueOrDefault(n.Entry.Id, []).DistinctBy(a => a.Id).Select(a => (Author: a, Paper: n)))
            .GroupBy(x => x.Author.Id, StringComparer.Ordinal)
            .Select(g =>
            {
                var closest = g.OrderByDescending(x => x.Paper.Similarity).ThenBy(x => x.Paper.Entry.Id, StringComparer.Ordinal).ToList();
                var score = closest.Take(TopicPapersPerAuthor).Sum(x => (double)x.Paper.Similarity) / TopicPapersPerAuthor;
                return (Id: g.Key, closest[0].Author.Name, Score: score, Closest: closest);
            })
            .OrderByDescending(a => a.Score).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Take(size)
            .ToList();
        var shown = await ViewAsync([.. byAuthor.SelectMany(a => a.Closest.Take(TopicPapersPerAuthor).Select(x => x.Paper)).DistinctBy(n => n.Entry.Id)], cancellationToken).ConfigureAwait(false);
        var found = shown.Papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        return QueryResult<TopicAuthorsView>.Ok(new TopicAuthorsView(
            [.. byAuthor.Select(a => new TopicAuthorView(
                a.Id,
                a.Name,
                Math.Round(a.Score, 4),
                a.Closest.Count,
                [.. a.Closest.Take(TopicPapersPerAuthor).Select(x => found[x.Paper.Entry.Id])],
                "/api/profiles/" + Uri.EscapeDataString(a.Id)))],
            embedder.Model,
            TopicRule));
    }

    // Free text as the index compares it: embedded by the scoring's model, quantised like every paper.
    private async Task<CorpusEntry> ProbeAsync(string text, CancellationToken cancellationToken)
    {
        var vector = (await embedder.EmbedAsync([text], cancellationToken).ConfigureAwait(false))[0];
        return new CorpusEntry { Id = "query", Published = DateOnly.MinValue, AliasKeys = [], AuthorKeys = [], Vector = vector };
    }

    private async Task<FoundPapersView> ViewAsync(Near[] near, CancellationToken cancellationToken)
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

    private static int? Top(int? top) => top is null ? DefaultTop : top is >= 1 and <= IPaperDiscovery.MaxTop ? top : null;

    private static bool Day(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            day = parsed;
            return true;
        }

        return false;
    }

    private static bool Bound(string? text, DateOnly own, out DateOnly? day)
    {
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            day = own;
            return true;
        }

        return Day(text, out day);
    }
}

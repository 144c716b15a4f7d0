using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Discovery;

/// <summary>Who works on something: authors ranked by how close their papers are to a free-text topic.</summary>
public interface ITopicAuthors
{
    /// <summary>Authors ranked by <see cref="TopicAuthors.Rule"/>, with their closest papers.</summary>
    /// <remarks>A computed answer spends the query budget of <c>client</c>, the anonymous caller's address (null: a trusted caller).</remarks>
    Task<QueryResult<TopicAuthorsView>> AuthorsByTopicAsync(string? topic, int? top, CancellationToken cancellationToken, string? client = null);
}

/// <inheritdoc cref="ITopicAuthors"/>
/// <remarks>
/// The <see cref="Candidates"/> papers closest to the topic (one pass of the index), their author lists (point reads of
/// that column), and for each author the mean similarity of their <see cref="PapersPerAuthor"/> closest papers with a
/// missing one counted 0, so one lucky paper does not outrank a body of work.
/// </remarks>
internal sealed class TopicAuthors(MeaningIndex index, IPaperStore papers, QueryBudget budget) : ITopicAuthors
{
    /// <summary>Papers nearest the topic that the author ranking is taken from.</summary>
    public const int Candidates = 300;

    /// <summary>Papers of an author whose similarities are averaged.</summary>
    public const int PapersPerAuthor = 3;

    /// <summary>How the authors are ranked, as the answer states it.</summary>
    public static readonly string Rule =
        $"the mean similarity of the author's {PapersPerAuthor} papers closest to the topic (a missing one counts 0), among the {Candidates} papers closest to it";

    /// <inheritdoc/>
    public async Task<QueryResult<TopicAuthorsView>> AuthorsByTopicAsync(string? topic, int? top, CancellationToken cancellationToken, string? client = null)
    {
        var text = ValidText.Clean(topic?.Trim() ?? "");
        if (text.Length == 0 || text.Length > MeaningIndex.MaxQueryChars)
        {
            return QueryResult<TopicAuthorsView>.Invalid($"topic is 1–{MeaningIndex.MaxQueryChars:N0} characters of free text");
        }

        if (MeaningIndex.Top(top) is not { } size)
        {
            return QueryResult<TopicAuthorsView>.Invalid($"top is 1–{IPaperDiscovery.MaxTop}");
        }

        return await budget.AnswerAsync(string.Join('\u001f', "topic", QueryBudget.Normalise(text), size), client, c => RankAsync(text, size, c), cancellationToken).ConfigureAwait(false);
    }

    private async Task<QueryResult<TopicAuthorsView>> RankAsync(string text, int size, CancellationToken cancellationToken)
    {
        var probe = await index.ProbeAsync(text, cancellationToken).ConfigureAwait(false);
        var near = await index.SearchAsync(i => i.Closest(probe, Candidates), cancellationToken).ConfigureAwait(false);
        var authors = await papers.GetAuthorsAsync([.. near.Select(n => n.Entry.Id)], cancellationToken).ConfigureAwait(false);
        var ranked = near
            .SelectMany(n => authors.GetValueOrDefault(n.Entry.Id, []).DistinctBy(a => a.Id).Select(a => (Author: a, Paper: n)))
            .GroupBy(x => x.Author.Id, StringComparer.Ordinal)
            .Select(g =>
            {
                var closest = g.OrderByDescending(x => x.Paper.Similarity).ThenBy(x => x.Paper.Entry.Id, StringComparer.Ordinal).ToList();
                var score = closest.Take(PapersPerAuthor).Sum(x => (double)x.Paper.Similarity) / PapersPerAuthor;
                return (Id: g.Key, closest[0].Author.Name, Score: score, Closest: closest);
            })
            .OrderByDescending(a => a.Score).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Take(size)
            .ToList();
        var shown = await index.ViewAsync([.. ranked.SelectMany(a => a.Closest.Take(PapersPerAuthor).Select(x => x.Paper)).DistinctBy(n => n.Entry.Id)], cancellationToken).ConfigureAwait(false);
        var found = shown.Papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        return QueryResult<TopicAuthorsView>.Ok(new TopicAuthorsView(
            [.. ranked.Select(a => new TopicAuthorView(
                a.Id,
                a.Name,
                Math.Round(a.Score, 4),
                a.Closest.Count,
                [.. a.Closest.Take(PapersPerAuthor).Select(x => found[x.Paper.Entry.Id])],
                "/api/profiles/" + Uri.EscapeDataString(a.Id)))],
            index.Model,
            Rule));
    }
}

using System.Globalization;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Discovery;

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
    /// <remarks>A computed answer spends the query budget of <c>client</c>, the anonymous caller's address (null: a trusted caller).</remarks>
    Task<QueryResult<FoundPapersView>> SimilarAsync(string paperId, int? top, string? before, string? after, CancellationToken cancellationToken, string? client = null);

    /// <summary>Papers ranked by the similarity of their embedding to the query's, filtered by primary category and dates.</summary>
    /// <remarks>A computed answer spends the query budget of <c>client</c>, the anonymous caller's address (null: a trusted caller).</remarks>
    Task<QueryResult<FoundPapersView>> SearchAsync(string? query, string? category, string? from, string? to, int? top, CancellationToken cancellationToken, string? client = null);
}

/// <inheritdoc cref="IPaperDiscovery"/>
/// <remarks>
/// Both search the scoring's own index through <see cref="MeaningIndex"/>: one pass over the papers in the date range per
/// request; titles come from one batched read of the results.
/// </remarks>
internal sealed class PaperDiscovery(MeaningIndex index, IPaperQueries paperQueries, QueryBudget budget) : IPaperDiscovery
{
    /// <inheritdoc/>
    public Task<QueryResult<FoundPapersView>> SimilarAsync(string paperId, int? top, string? before, string? after, CancellationToken cancellationToken, string? client = null) =>
        MeaningIndex.Top(top) is not { } size
            ? Task.FromResult(QueryResult<FoundPapersView>.Invalid($"top is 1–{IPaperDiscovery.MaxTop}"))
            : budget.AnswerAsync(string.Join('\u001f', "similar", paperId, size, before, after), client, c => SimilarAsync(paperId, size, before, after, c), cancellationToken);

    private async Task<QueryResult<FoundPapersView>> SimilarAsync(string paperId, int size, string? before, string? after, CancellationToken cancellationToken)
    {
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

        // Strictly before or after: the day itself is excluded from either side.
        var near = await index.SearchAsync(
            i => i.Get(paper.Id) is { } entry ? i.Closest(entry, size, afterDay?.AddDays(1), beforeDay?.AddDays(-1), c => c.Id != entry.Id) : null,
            cancellationToken).ConfigureAwait(false);
        return near is null
            ? QueryResult<FoundPapersView>.Invalid($"paper {paper.Id} has no embedding yet (it is scored when it is settled or rescored)")
            : QueryResult<FoundPapersView>.Ok(await index.ViewAsync(near, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async Task<QueryResult<FoundPapersView>> SearchAsync(string? query, string? category, string? from, string? to, int? top, CancellationToken cancellationToken, string? client = null)
    {
        var text = ValidText.Clean(query?.Trim() ?? "");
        if (text.Length == 0 || text.Length > MeaningIndex.MaxQueryChars)
        {
            return QueryResult<FoundPapersView>.Invalid($"q is 1–{MeaningIndex.MaxQueryChars:N0} characters of free text");
        }

        if (MeaningIndex.Top(top) is not { } size)
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

        var key = string.Join('\u001f', "search", QueryBudget.Normalise(text), within, fromDay, toDay, size);
        return await budget.AnswerAsync(key, client, async c =>
        {
            var probe = await index.ProbeAsync(text, c).ConfigureAwait(false);
            var near = await index.SearchAsync(
                i => i.Closest(probe, size, fromDay, toDay, within is null ? null : e => string.Equals(e.Category, within, StringComparison.Ordinal)),
                c).ConfigureAwait(false);
            return QueryResult<FoundPapersView>.Ok(await index.ViewAsync(near, c).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }

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

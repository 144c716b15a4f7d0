using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>Ranked lists of profiles for institutions: <c>GET /api/profiles?category=&amp;sort=&amp;top=&amp;cursor=</c>.</summary>
public interface IProfileLists
{
    /// <summary>A page of the profiles of a category (or all), best first by <paramref name="sort"/>.</summary>
    Task<QueryResult<Page<RankEntry>>> ListAsync(string? category, string? sort, string? cursor, int? top, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IProfileLists"/>
/// <remarks>
/// Served from the rankings <see cref="ProfileRankings"/> keeps as profiles change: four range queries a page (one per bucket), never a
/// scan of the profiles. A profile is listed under its primary category; one without a Novelty % or AI score is not in
/// those lists.
/// </remarks>
public sealed class ProfileLists(IRankingStore rankings, IOptions<ProfileOptions> options) : IProfileLists
{
    /// <summary>Longest category accepted (the longest stored, <c>RecordValidator.MaxCategoryChars</c>).</summary>
    public const int MaxCategoryChars = Ingest.RecordValidator.MaxCategoryChars;

    /// <inheritdoc/>
    public async Task<QueryResult<Page<RankEntry>>> ListAsync(string? category, string? sort, string? cursor, int? top, CancellationToken cancellationToken)
    {
        var by = string.IsNullOrEmpty(sort) ? "hIndex" : ProfileRankings.Sorts.FirstOrDefault(s => string.Equals(s, sort, StringComparison.OrdinalIgnoreCase));
        if (by is null)
        {
            return QueryResult<Page<RankEntry>>.Invalid($"sort is one of {string.Join(", ", ProfileRankings.Sorts)}");
        }

        var within = string.IsNullOrWhiteSpace(category) ? ProfileRankings.AllCategories : category.Trim();
        if (within.Length > MaxCategoryChars)
        {
            return QueryResult<Page<RankEntry>>.Invalid($"category is at most {MaxCategoryChars} characters");
        }

        if (ProfileQueries.ValidateTop(top, options.Value) is { } problem)
        {
            return QueryResult<Page<RankEntry>>.Invalid(problem);
        }

        if (!Cursor.TryDecode(cursor, out var token))
        {
            return QueryResult<Page<RankEntry>>.Invalid(ProfileQueries.BadCursor);
        }

        var size = top ?? options.Value.PageSize;
        RankingPage page;
        try
        {
            page = await rankings.GetPageAsync(within, by, token, size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ProfileQueries.IsBadContinuation(e))
        {
            return QueryResult<Page<RankEntry>>.Invalid(ProfileQueries.BadCursor);
        }

        var next = Cursor.Encode(page.ContinuationToken) is { } c
            ? $"/api/profiles?{(within == ProfileRankings.AllCategories ? "" : "category=" + Uri.EscapeDataString(within) + "&")}sort={by}&cursor={c}&top={size}"
            : null;
        return QueryResult<Page<RankEntry>>.Ok(new Page<RankEntry>(page.Entries, next));
    }
}

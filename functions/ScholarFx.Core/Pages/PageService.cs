using System.Text.Json;
using ScholarFx.Core.Discovery;
using ScholarFx.Core.Health;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Pages;

/// <summary>The HTML pages, the badge and the feed: read through the same queries as the JSON API, then rendered.</summary>
public interface IPageService
{
    /// <summary>The profile page; <paramref name="cursor"/> pages the papers as the API does.</summary>
    Task<PageResult> ProfileAsync(string authorId, string? cursor, string baseUrl, CancellationToken cancellationToken);

    /// <summary>The paper page.</summary>
    Task<PageResult> PaperAsync(string paperId, CancellationToken cancellationToken);

    /// <summary>The author search page.</summary>
    Task<PageResult> SearchAsync(string? query, string? cursor, CancellationToken cancellationToken);

    /// <summary>The home page: search, the corpus's size and freshness, the leading authors of the largest categories.</summary>
    Task<PageResult> HomeAsync(CancellationToken cancellationToken);

    /// <summary>The page of authors by topic; <paramref name="client"/> spends its query budget as the API's does.</summary>
    Task<PageResult> TopicAsync(string? topic, string? client, CancellationToken cancellationToken);

    /// <summary>A ranked list page: a category's (or every) profile, best first by <paramref name="sort"/>.</summary>
    Task<PageResult> RankingAsync(string? category, string? sort, string? cursor, CancellationToken cancellationToken);

    /// <summary>The profile's badge (SVG), or null for an unknown author; a moved id gives the new profile's.</summary>
    Task<PageResult?> BadgeAsync(string authorId, CancellationToken cancellationToken);

    /// <summary>The profile's Atom feed, or null for an unknown author.</summary>
    Task<PageResult?> FeedAsync(string authorId, string baseUrl, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IPageService"/>
/// <remarks>
/// A profile page reads the stored profile (one point read) and, for the abstracts and explanations of its papers, each
/// paper's record (point reads, at most <see cref="ParallelReads"/> at a time); a later page reads one page of the
/// author's rows first, with the API's cursor. The home page reads the health report and
/// <see cref="CategorySample"/> leaders of the overall ranking, then the first few of the largest categories' rankings.
/// </remarks>
public sealed class PageService(IProfileQueries profiles, IPaperQueries papers, IProfileLists lists, ITopicAuthors topics, IHealthService health) : IPageService
{
    /// <summary>Paper records read at once for one page.</summary>
    public const int ParallelReads = 8;

    /// <summary>
    /// Leaders of the overall h-index ranking whose primary categories are counted to choose the home page's
    /// categories: the rankings keep no count per category, and counting every profile would be a scan.
    /// </summary>
    public const int CategorySample = 100;

    /// <summary>Categories with a list on the home page.</summary>
    public const int HomeCategories = 4;

    /// <summary>Authors in each list on the home page.</summary>
    public const int HomeLeaders = 5;

    /// <inheritdoc/>
    public async Task<PageResult> ProfileAsync(string authorId, string? cursor, string baseUrl, CancellationToken cancellationToken)
    {
        var document = await profiles.GetProfileAsync(authorId, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return PageResult.Problem(404, "No such author", $"No author with id '{authorId}'. Find authors by name with the search above.");
        }

        if (document.MovedTo is { } moved)
        {
            return PageResult.Moved(Markup.ProfileHref(moved));
        }

        var profile = Parse(document.Json);
        IReadOnlyList<PaperSummaryView> shown = profile.Papers;
        var next = CursorOf(profile.NextPapers);
        if (!string.IsNullOrEmpty(cursor))
        {
            var page = await profiles.GetPapersAsync(profile.Id, cursor, null, cancellationToken).ConfigureAwait(false);
            if (page.Problem is not null || page.Value is null)
            {
                return PageResult.Problem(400, "Not a page of this author's papers", page.Problem ?? "This author has no such page.");
            }

            shown = page.Value.Items;
            next = CursorOf(page.Value.Next);
        }

        var records = await RecordsAsync(shown, cancellationToken).ConfigureAwait(false);
        return PageResult.Ok(ProfilePage.Render(new ProfilePageModel(profile, shown, records, next, string.IsNullOrEmpty(cursor), baseUrl)), PageResult.Html);
    }

    /// <inheritdoc/>
    public async Task<PageResult> PaperAsync(string paperId, CancellationToken cancellationToken)
    {
        var paper = paperId.Length == 0 ? null : await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false);
        return paper is null
            ? PageResult.Problem(404, "No such paper", $"No paper with id or alias '{paperId}'.")
            : PageResult.Ok(PaperPage.Render(paper), PageResult.Html);
    }

    /// <inheritdoc/>
    public async Task<PageResult> SearchAsync(string? query, string? cursor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return PageResult.Ok(SearchPage.Render(null, [], null, null), PageResult.Html);
        }

        var found = await profiles.FindAsync(query, cursor, null, cancellationToken).ConfigureAwait(false);
        return found.Problem is { } problem
            ? PageResult.Ok(SearchPage.Render(query, [], null, problem), PageResult.Html) with { Status = 400 }
            : PageResult.Ok(SearchPage.Render(query, found.Value!.Items, CursorOf(found.Value.Next), null), PageResult.Html);
    }

    /// <inheritdoc/>
    public async Task<PageResult> HomeAsync(CancellationToken cancellationToken)
    {
        var report = health.CheckAsync(cancellationToken);
        var leaders = LeadersAsync(cancellationToken);
        await Task.WhenAll(report, leaders).ConfigureAwait(false);
        return PageResult.Ok(HomePage.Render(new HomePageModel(await report.ConfigureAwait(false), await leaders.ConfigureAwait(false))), PageResult.Html);
    }

    /// <inheritdoc/>
    public async Task<PageResult> TopicAsync(string? topic, string? client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            return PageResult.Ok(TopicPage.Render(null, null, null), PageResult.Html);
        }

        var found = await topics.AuthorsByTopicAsync(topic, null, cancellationToken, client).ConfigureAwait(false);
        return found.Problem is { } problem
            ? PageResult.Ok(TopicPage.Render(topic, null, problem), PageResult.Html) with { Status = found.RetryAfter is null ? 400 : 429, RetryAfter = found.RetryAfter }
            : PageResult.Ok(TopicPage.Render(topic, found.Value, null), PageResult.Html);
    }

    /// <inheritdoc/>
    public async Task<PageResult> RankingAsync(string? category, string? sort, string? cursor, CancellationToken cancellationToken)
    {
        var by = string.IsNullOrEmpty(sort) ? ProfileRankings.Sorts[0] : ProfileRankings.Sorts.FirstOrDefault(s => string.Equals(s, sort, StringComparison.OrdinalIgnoreCase));
        var found = await lists.ListAsync(category, by ?? sort, cursor, null, cancellationToken).ConfigureAwait(false);
        return found.Problem is { } problem
            ? PageResult.Ok(RankedListPage.Render(category, null, [], null, true, problem), PageResult.Html) with { Status = 400 }
            : PageResult.Ok(RankedListPage.Render(category, by, found.Value!.Items, CursorOf(found.Value.Next), string.IsNullOrEmpty(cursor), null), PageResult.Html);
    }

    // The overall leaders, then those of the categories most of the CategorySample overall leaders belong to.
    private async Task<IReadOnlyList<LeaderList>> LeadersAsync(CancellationToken cancellationToken)
    {
        var sample = await lists.ListAsync(null, ProfileRankings.Sorts[0], null, CategorySample, cancellationToken).ConfigureAwait(false);
        if (sample.Value is null)
        {
            // A deployment whose page size is below the sample lists what one page holds.
            sample = await lists.ListAsync(null, ProfileRankings.Sorts[0], null, null, cancellationToken).ConfigureAwait(false);
        }

        var overall = sample.Value?.Items ?? [];
        var largest = overall
            .Where(e => e.PrimaryCategory is { Length: > 0 })
            .GroupBy(e => e.PrimaryCategory!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(HomeCategories)
            .Select(g => g.Key)
            .ToList();
        var perCategory = await Task.WhenAll(largest.Select(async category =>
        {
            var page = await lists.ListAsync(category, ProfileRankings.Sorts[0], null, HomeLeaders, cancellationToken).ConfigureAwait(false);
            return new LeaderList(category, page.Value?.Items ?? []);
        })).ConfigureAwait(false);
        return [new LeaderList(null, [.. overall.Take(HomeLeaders)]), .. perCategory];
    }

    /// <inheritdoc/>
    public async Task<PageResult?> BadgeAsync(string authorId, CancellationToken cancellationToken) =>
        await CurrentProfileAsync(authorId, cancellationToken).ConfigureAwait(false) is { } profile
            ? PageResult.Ok(Badge.Svg(profile), PageResult.Svg)
            : null;

    /// <inheritdoc/>
    public async Task<PageResult?> FeedAsync(string authorId, string baseUrl, CancellationToken cancellationToken)
    {
        if (await CurrentProfileAsync(authorId, cancellationToken).ConfigureAwait(false) is not { } profile)
        {
            return null;
        }

        var records = await RecordsAsync(profile.Papers, cancellationToken).ConfigureAwait(false);
        return PageResult.Ok(AuthorFeed.Render(profile, records, baseUrl), PageResult.Atom);
    }

    // A badge or feed embedded or subscribed under an old id keeps working: the profile it moved to is served.
    private async Task<ProfileView?> CurrentProfileAsync(string authorId, CancellationToken cancellationToken)
    {
        var document = await profiles.GetProfileAsync(authorId, cancellationToken).ConfigureAwait(false);
        if (document?.MovedTo is { } moved)
        {
            document = await profiles.GetProfileAsync(moved, cancellationToken).ConfigureAwait(false);
        }

        return document is { MovedTo: null } ? Parse(document.Json) : null;
    }

    private async Task<IReadOnlyDictionary<string, PaperView>> RecordsAsync(IReadOnlyList<PaperSummaryView> shown, CancellationToken cancellationToken)
    {
        var records = new System.Collections.Concurrent.ConcurrentDictionary<string, PaperView>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            shown.Select(p => p.Id).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await papers.GetPaperAsync(id, ct).ConfigureAwait(false) is { } record)
                {
                    records[id] = record;
                }
            }).ConfigureAwait(false);
        return records;
    }

    private static ProfileView Parse(string json) =>
        JsonSerializer.Deserialize<ProfileView>(json, ScholarFxJson.Options) ?? throw new InvalidOperationException("A stored profile is empty.");

    /// <summary>The cursor of an API next link (<c>…?cursor=…&amp;top=…</c>), or null.</summary>
    internal static string? CursorOf(string? next)
    {
        if (next is null || next.IndexOf('?', StringComparison.Ordinal) is var q && q < 0)
        {
            return null;
        }

        foreach (var pair in next[(q + 1)..].Split('&'))
        {
            if (pair.StartsWith("cursor=", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(pair["cursor=".Length..]);
            }
        }

        return null;
    }
}

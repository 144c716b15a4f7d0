using System.Text.Json;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

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

    /// <summary>The profile's badge (SVG), or null for an unknown author; a moved id gives the new profile's.</summary>
    Task<PageResult?> BadgeAsync(string authorId, CancellationToken cancellationToken);

    /// <summary>The profile's Atom feed, or null for an unknown author.</summary>
    Task<PageResult?> FeedAsync(string authorId, string baseUrl, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IPageService"/>
/// <remarks>
/// A profile page reads the stored profile (one point read) and, for the abstracts and explanations of its papers, each
/// paper's record (point reads, at most <see cref="ParallelReads"/> at a time); a later page reads one page of the
/// author's rows first, with the API's cursor.
/// </remarks>
public sealed class PageService(IProfileQueries profiles, IPaperQueries papers) : IPageService
{
    /// <summary>Paper records read at once for one page.</summary>
    public const int ParallelReads = 8;

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

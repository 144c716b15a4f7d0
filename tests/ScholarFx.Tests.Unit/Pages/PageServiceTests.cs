using System.Text.Json;
using ScholarFx.Core;
using ScholarFx.Core.Discovery;
using ScholarFx.Core.Health;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Pages;

public sealed class PageServiceTests
{
    private readonly IProfileQueries profiles = Substitute.For<IProfileQueries>();
    private readonly IPaperQueries papers = Substitute.For<IPaperQueries>();

    private readonly IProfileLists lists = Substitute.For<IProfileLists>();
    private readonly ITopicAuthors topics = Substitute.For<ITopicAuthors>();
    private readonly IHealthService health = Substitute.For<IHealthService>();

    private PageService Service => new(profiles, papers, lists, topics, health);

    private void Ranked(string? category, int? top, params RankEntry[] entries) =>
        lists.ListAsync(category, "hIndex", null, top, Arg.Any<CancellationToken>()).Returns(QueryResult<Page<RankEntry>>.Ok(new Page<RankEntry>(entries, null)));

    private void Stored(string id, ProfileView profile) =>
        profiles.GetProfileAsync(id, Arg.Any<CancellationToken>()).Returns(new ProfileDocument(JsonSerializer.Serialize(profile, ScholarFxJson.Options), "\"t\""));

    [Fact]
    public async Task AnUnknownAuthor_Is404_AndAMovedOne301ToTheNewPage()
    {
        profiles.GetProfileAsync("old-name", Arg.Any<CancellationToken>()).Returns(ProfileDocument.Moved("0000-0002-1825-0097"));

        var missing = await Service.ProfileAsync("nobody", null, "http://h", CancellationToken.None);
        var moved = await Service.ProfileAsync("old-name", null, "http://h", CancellationToken.None);

        Assert.Equal(404, missing.Status);
        Assert.Contains("No author with id &#39;nobody&#39;", missing.Body, StringComparison.Ordinal);
        Assert.Equal(301, moved.Status);
        Assert.Equal("/profiles/0000-0002-1825-0097", moved.Location);
    }

    [Fact]
    public async Task TheFirstPage_ReadsEachPapersRecord_ForItsAbstractAndExplanations()
    {
        Stored("ada-lovelace", PageSamples.Profile(PageSamples.Summary("p2", "2024-05-01"), PageSamples.Summary("p1", "2021-01-01")));
        papers.GetPaperAsync("p2", Arg.Any<CancellationToken>()).Returns(PageSamples.Record("p2"));

        var page = await Service.ProfileAsync("ada-lovelace", null, "http://h", CancellationToken.None);

        Assert.Equal(200, page.Status);
        Assert.Equal(PageResult.Html, page.ContentType);
        await papers.Received(1).GetPaperAsync("p1", Arg.Any<CancellationToken>());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page.Body, "<summary>Abstract</summary>"));
        Assert.Contains("/profiles/ada-lovelace?cursor=abc%3D", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALaterPage_ComesFromTheApisPaging_WithItsCursor()
    {
        Stored("ada-lovelace", PageSamples.Profile(PageSamples.Summary("p2", "2024-05-01")));
        profiles.GetPapersAsync("ada-lovelace", "abc=", null, Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<PaperSummaryView>>.Ok(new Page<PaperSummaryView>([PageSamples.Summary("p0", "2019-01-01")], "/api/profiles/ada-lovelace/papers?cursor=xyz&top=20")));
        profiles.GetPapersAsync("ada-lovelace", "bad", null, Arg.Any<CancellationToken>()).Returns(QueryResult<Page<PaperSummaryView>>.Invalid("cursor is not valid"));

        var page = await Service.ProfileAsync("ada-lovelace", "abc=", "http://h", CancellationToken.None);
        var bad = await Service.ProfileAsync("ada-lovelace", "bad", "http://h", CancellationToken.None);

        Assert.Contains("/papers/p0", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/papers/p2\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("/profiles/ada-lovelace?cursor=xyz", page.Body, StringComparison.Ordinal);
        Assert.Equal(400, bad.Status);
    }

    [Fact]
    public async Task TheBadgeAndFeedOfAMovedId_AreTheNewProfiles_AndUnknownIsNull()
    {
        profiles.GetProfileAsync("old-name", Arg.Any<CancellationToken>()).Returns(ProfileDocument.Moved("ada-lovelace"));
        Stored("ada-lovelace", PageSamples.Profile(PageSamples.Summary("p2", "2024-05-01")));

        var badge = await Service.BadgeAsync("old-name", CancellationToken.None);
        var feed = await Service.FeedAsync("old-name", "http://h", CancellationToken.None);

        Assert.Equal(PageResult.Svg, badge!.ContentType);
        Assert.Contains("h 3", badge.Body, StringComparison.Ordinal);
        Assert.Equal(PageResult.Atom, feed!.ContentType);
        Assert.Null(await Service.BadgeAsync("nobody", CancellationToken.None));
        Assert.Null(await Service.FeedAsync("nobody", "http://h", CancellationToken.None));
    }

    [Theory]
    [InlineData("/api/profiles/a/papers?cursor=abc%3D&top=20", "abc=")]
    [InlineData("/api/profiles?q=x&cursor=c1", "c1")]
    [InlineData("/api/profiles/a/papers", null)]
    [InlineData(null, null)]
    public void CursorOf_ReadsTheCursorOfAnApiNextLink(string? next, string? cursor) => Assert.Equal(cursor, PageService.CursorOf(next));

    [Fact]
    public async Task TheHomePage_ListsTheLeadersOfTheCategoriesMostOfTheOverallLeadersBelongTo()
    {
        health.CheckAsync(Arg.Any<CancellationToken>()).Returns(HomePageTests.Healthy(size: 42));
        var overall = Enumerable.Range(0, 7).Select(i => new RankEntry($"a{i}", $"Author {i}", 10 - i, 3, i < 4 ? "cs.LG" : i < 6 ? "math.CO" : "q-bio")).ToArray();
        Ranked(null, PageService.CategorySample, overall);
        Ranked("cs.LG", PageService.HomeLeaders, overall[0]);
        Ranked("math.CO", PageService.HomeLeaders, overall[4]);
        Ranked("q-bio", PageService.HomeLeaders, overall[6]);

        var page = await Service.HomeAsync(CancellationToken.None);

        Assert.Equal(200, page.Status);
        Assert.Equal(PageResult.Html, page.ContentType);
        Assert.Contains("data-figure=\"papers\">42<", page.Body, StringComparison.Ordinal);
        var headings = System.Text.RegularExpressions.Regex.Matches(page.Body, "<h3 id=\"list-\\d\">([^<]+)</h3>").Select(m => m.Groups[1].Value);
        Assert.Equal(["All categories", "cs.LG", "math.CO", "q-bio"], headings);
        Assert.Contains("<a href=\"/profiles/a4\">", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href=\"/profiles/a5\">", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTopicPage_AsksTheTopicAuthorsWithTheClientsBudget_And400sOr429sARefusal()
    {
        topics.AuthorsByTopicAsync("graphs", null, Arg.Any<CancellationToken>(), "203.0.113.9")
            .Returns(QueryResult<TopicAuthorsView>.Ok(new TopicAuthorsView([new TopicAuthorView("ada", "Ada", 0.5, 1, [], "/api/profiles/ada")], "m", "rule")));
        topics.AuthorsByTopicAsync("x", null, Arg.Any<CancellationToken>(), Arg.Any<string?>()).Returns(QueryResult<TopicAuthorsView>.Invalid("too short"));
        topics.AuthorsByTopicAsync("busy", null, Arg.Any<CancellationToken>(), Arg.Any<string?>()).Returns(QueryResult<TopicAuthorsView>.Refused(TimeSpan.FromSeconds(5), "too many"));

        var page = await Service.TopicAsync("graphs", "203.0.113.9", CancellationToken.None);
        var form = await Service.TopicAsync("", "203.0.113.9", CancellationToken.None);

        Assert.Equal(200, page.Status);
        Assert.Contains("<a href=\"/profiles/ada\">Ada</a>", page.Body, StringComparison.Ordinal);
        Assert.Equal(200, form.Status);
        Assert.Equal(400, (await Service.TopicAsync("x", null, CancellationToken.None)).Status);
        var busy = await Service.TopicAsync("busy", null, CancellationToken.None);
        Assert.Equal(429, busy.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), busy.RetryAfter);
        await topics.DidNotReceive().AuthorsByTopicAsync("", Arg.Any<int?>(), Arg.Any<CancellationToken>(), Arg.Any<string?>());
    }

    [Fact]
    public async Task TheRankingPage_ReadsTheRankedList_WithItsCursor_And400sABadSort()
    {
        lists.ListAsync("cs.LG", "novelty", "c1", null, Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<RankEntry>>.Ok(new Page<RankEntry>([new RankEntry("ada", "Ada", 77, 3, "cs.LG")], "/api/profiles?category=cs.LG&sort=novelty&cursor=c2&top=20")));
        lists.ListAsync(null, "height", null, null, Arg.Any<CancellationToken>()).Returns(QueryResult<Page<RankEntry>>.Invalid("sort is one of hIndex, citations, novelty, aiScore"));

        var page = await Service.RankingAsync("cs.LG", "NOVELTY", "c1", CancellationToken.None);
        var bad = await Service.RankingAsync(null, "height", null, CancellationToken.None);

        Assert.Equal(200, page.Status);
        Assert.Contains("<td class=\"num\">77</td>", page.Body, StringComparison.Ordinal);
        Assert.Contains("/rankings?category=cs.LG&amp;sort=novelty&amp;cursor=c2", page.Body, StringComparison.Ordinal);
        Assert.Equal(400, bad.Status);
        Assert.Contains("sort is one of", bad.Body, StringComparison.Ordinal);
    }
}

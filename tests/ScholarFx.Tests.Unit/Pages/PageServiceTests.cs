using System.Text.Json;
using ScholarFx.Core;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Tests.Unit.Pages;

public sealed class PageServiceTests
{
    private readonly IProfileQueries profiles = Substitute.For<IProfileQueries>();
    private readonly IPaperQueries papers = Substitute.For<IPaperQueries>();

    private PageService Service => new(profiles, papers);

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
}

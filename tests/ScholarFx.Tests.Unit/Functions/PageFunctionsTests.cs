using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScholarFx.Core.Pages;
using ScholarFx.Functions.Http;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class PageFunctionsTests
{
    private readonly IPageService pages = Substitute.For<IPageService>();
    private readonly PageFunctions functions;

    public PageFunctionsTests()
    {
        functions = new PageFunctions(pages, Api(cacheSeconds: 60));
        pages.HomeAsync(Arg.Any<CancellationToken>()).Returns(PageResult.Ok("<!doctype html><h1>ScholarFx</h1>", PageResult.Html));
    }

    [Fact]
    public async Task TheHomePage_IsCachedHtmlWithAnETag_And304sWhenItMatches()
    {
        var firstRequest = Get("/");
        var first = Assert.IsType<ContentResult>(await functions.HomePage(firstRequest, CancellationToken.None));
        var headers = firstRequest.HttpContext.Response.Headers;
        var again = Get("/");
        again.Headers.IfNoneMatch = headers.ETag;

        var revalidated = await functions.HomePage(again, CancellationToken.None);

        Assert.Equal(StatusCodes.Status200OK, first.StatusCode);
        Assert.Equal(PageResult.Html, first.ContentType);
        Assert.False(string.IsNullOrEmpty(headers.ETag.ToString()));
        Assert.Equal("public, max-age=60", headers.CacheControl.ToString());
        Assert.Equal(PageSecurity.Page, headers.ContentSecurityPolicy.ToString());
        Assert.Equal(StatusCodes.Status304NotModified, Assert.IsType<StatusCodeResult>(revalidated).StatusCode);
    }

    [Fact]
    public async Task TheProfilesPage_WithATopic_IsTheTopicPage_ForTheCallersAddress_AndWithoutOneTheNameSearch()
    {
        pages.TopicAsync("graphs", Arg.Any<string?>(), Arg.Any<CancellationToken>()).Returns(PageResult.Ok("topic", PageResult.Html));
        pages.SearchAsync("ada", "", Arg.Any<CancellationToken>()).Returns(PageResult.Ok("names", PageResult.Html));

        var topic = Assert.IsType<ContentResult>(await functions.SearchPage(Get("/profiles", "?topic=graphs"), CancellationToken.None));
        var names = Assert.IsType<ContentResult>(await functions.SearchPage(Get("/profiles", "?q=ada"), CancellationToken.None));

        Assert.Equal("topic", topic.Content);
        Assert.Equal("names", names.Content);
        await pages.Received(1).TopicAsync("graphs", Arg.Any<string?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ARefusedTopicPage_Is429WithRetryAfter_AndNotCached()
    {
        pages.TopicAsync("busy", Arg.Any<string?>(), Arg.Any<CancellationToken>())
            .Returns(PageResult.Problem(429, "Too many requests", "try again soon") with { RetryAfter = TimeSpan.FromSeconds(2.5) });
        var request = Get("/profiles", "?topic=busy");

        var result = Assert.IsType<ContentResult>(await functions.SearchPage(request, CancellationToken.None));

        Assert.Equal(StatusCodes.Status429TooManyRequests, result.StatusCode);
        Assert.Equal("3", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.True(string.IsNullOrEmpty(request.HttpContext.Response.Headers.ETag.ToString()));
    }

    [Fact]
    public async Task TheRankingPage_PassesCategorySortAndCursor()
    {
        pages.RankingAsync("cs.LG", "citations", "c1", Arg.Any<CancellationToken>()).Returns(PageResult.Ok("ranked", PageResult.Html));

        var result = Assert.IsType<ContentResult>(await functions.RankingPage(Get("/rankings", "?category=cs.LG&sort=citations&cursor=c1"), CancellationToken.None));

        Assert.Equal("ranked", result.Content);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Http;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class ProfileFunctionsTests
{
    private const string ProfileJson = """{"id":"boyu-shi","name":"Boyu Shi","hIndex":3,"paperCount":7}""";
    private const string ETag = "\"0123456789abcdef\"";

    private readonly IProfileQueries queries = Substitute.For<IProfileQueries>();
    private readonly IProfileLists lists = Substitute.For<IProfileLists>();
    private readonly ProfileFunctions functions;

    public ProfileFunctionsTests()
    {
        functions = new ProfileFunctions(queries, lists, Substitute.For<ScholarFx.Core.Discovery.ITopicAuthors>(), Api(cacheSeconds: 60));
        queries.GetProfileAsync("boyu-shi", Arg.Any<CancellationToken>()).Returns(new ProfileDocument(ProfileJson, ETag));
    }

    [Fact]
    public async Task GetProfile_Returns200WithStoredJson()
    {
        var request = Get("/api/profiles/boyu-shi");

        var result = await functions.GetProfile(request, "boyu-shi", CancellationToken.None);

        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(StatusCodes.Status200OK, content.StatusCode);
        Assert.Equal(ProfileJson, content.Content);
        Assert.Equal("application/json; charset=utf-8", content.ContentType);
    }

    [Fact]
    public async Task GetProfile_OfAMergedId_Answers301ToTheProfileItResolvesTo()
    {
        queries.GetProfileAsync("amrit-s-bedi", Arg.Any<CancellationToken>()).Returns(ProfileDocument.Moved("0000-0002-1825-0097"));
        var request = Get("/api/profiles/amrit-s-bedi");

        var result = await functions.GetProfile(request, "amrit-s-bedi", CancellationToken.None);

        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(StatusCodes.Status301MovedPermanently, content.StatusCode);
        Assert.Equal("/api/profiles/0000-0002-1825-0097", request.HttpContext.Response.Headers.Location.ToString());
        Assert.Equal("""{"movedTo":"/api/profiles/0000-0002-1825-0097"}""", content.Content);
    }

    [Fact]
    public async Task FindProfiles_WithSortOrCategory_ServesTheRankedList_AndRefusesItWithQ()
    {
        lists.ListAsync("cs.LG", "citations", "", null, Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<RankEntry>>.Ok(new Page<RankEntry>([new RankEntry("ada", "Ada", 42, 3, "cs.LG")], "/api/profiles?category=cs.LG&sort=citations&cursor=x&top=20")));

        var result = await functions.FindProfiles(Get("/api/profiles", "?category=cs.LG&sort=citations"), CancellationToken.None);

        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal("""{"authors":[{"id":"ada","name":"Ada","value":42,"paperCount":3,"primaryCategory":"cs.LG","href":"/api/profiles/ada"}],"next":"/api/profiles?category=cs.LG&sort=citations&cursor=x&top=20"}""", content.Content);
        var both = await functions.FindProfiles(Get("/api/profiles", "?q=ada&sort=hIndex"), CancellationToken.None);
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<ObjectResult>(both).StatusCode);
    }

    [Fact]
    public async Task GetProfile_SetsETagCacheControlAndCorsHeaders()
    {
        var request = Get("/api/profiles/boyu-shi");

        await functions.GetProfile(request, "boyu-shi", CancellationToken.None);

        var headers = request.HttpContext.Response.Headers;
        Assert.Equal(ETag, headers.ETag.ToString());
        Assert.Equal("public, max-age=60", headers.CacheControl.ToString());
        Assert.Equal("*", headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task GetProfile_Returns304_WhenETagMatches()
    {
        var request = Get("/api/profiles/boyu-shi");
        request.Headers.IfNoneMatch = ETag;

        var result = await functions.GetProfile(request, "boyu-shi", CancellationToken.None);

        Assert.Equal(StatusCodes.Status304NotModified, Assert.IsType<StatusCodeResult>(result).StatusCode);
        Assert.Equal(ETag, request.HttpContext.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task GetProfile_Returns304_WhenETagIsInIfNoneMatchList()
    {
        var request = Get("/api/profiles/boyu-shi");
        request.Headers.IfNoneMatch = "\"a\", " + ETag;

        var result = await functions.GetProfile(request, "boyu-shi", CancellationToken.None);

        Assert.Equal(StatusCodes.Status304NotModified, Assert.IsType<StatusCodeResult>(result).StatusCode);
    }

    [Fact]
    public async Task GetProfile_Returns304_WhenWeakETagMatches()
    {
        var request = Get("/api/profiles/boyu-shi");
        request.Headers.IfNoneMatch = "W/" + ETag;

        var result = await functions.GetProfile(request, "boyu-shi", CancellationToken.None);

        Assert.Equal(StatusCodes.Status304NotModified, Assert.IsType<StatusCodeResult>(result).StatusCode);
    }

    [Fact]
    public async Task GetProfile_Returns200_WhenETagDiffers()
    {
        var request = Get("/api/profiles/boyu-shi");
        request.Headers.IfNoneMatch = "\"stale\"";

        var result = await functions.GetProfile(request, "boyu-shi", CancellationToken.None);

        Assert.Equal(ProfileJson, Assert.IsType<ContentResult>(result).Content);
    }

    [Fact]
    public async Task GetProfile_Returns404ProblemJson_ForUnknownAuthor()
    {
        var request = Get("/api/profiles/nobody");

        var result = await functions.GetProfile(request, "nobody", CancellationToken.None);

        var problem = Problem(result, StatusCodes.Status404NotFound);
        Assert.Contains("nobody", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("/api/profiles/nobody", problem.Instance);
    }

    [Fact]
    public async Task GetProfile_AllowsCors_OnNotFound()
    {
        var request = Get("/api/profiles/nobody");

        await functions.GetProfile(request, "nobody", CancellationToken.None);

        Assert.Equal("*", request.HttpContext.Response.Headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task GetProfile_DecodesPercentEncodedAuthorId()
    {
        var request = Get("/api/profiles/%E6%9D%8E%E5%A8%9C");

        await functions.GetProfile(request, "%E6%9D%8E%E5%A8%9C", CancellationToken.None);

        await queries.Received(1).GetProfileAsync("李娜", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task GetProfile_AllowsOnlyConfiguredOrigin()
    {
        var configured = new ProfileFunctions(queries, lists, Substitute.For<ScholarFx.Core.Discovery.ITopicAuthors>(), Api(origins: "https://a.example, https://b.example"));
        var request = Get("/api/profiles/boyu-shi");
        request.Headers.Origin = "https://b.example";

        await configured.GetProfile(request, "boyu-shi", CancellationToken.None);

        Assert.Equal("https://b.example", request.HttpContext.Response.Headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task GetProfile_SendsNoAllowOrigin_ForOriginNotConfigured()
    {
        var configured = new ProfileFunctions(queries, lists, Substitute.For<ScholarFx.Core.Discovery.ITopicAuthors>(), Api(origins: "https://a.example"));
        var request = Get("/api/profiles/boyu-shi");
        request.Headers.Origin = "https://evil.example";

        await configured.GetProfile(request, "boyu-shi", CancellationToken.None);

        Assert.False(request.HttpContext.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task GetProfilePapers_Returns400_WhenTopIsNotANumber()
    {
        var request = Get("/api/profiles/boyu-shi/papers", "?top=abc");

        var result = await functions.GetProfilePapers(request, "boyu-shi", CancellationToken.None);

        var problem = Problem(result, StatusCodes.Status400BadRequest);
        Assert.Contains("top", problem.Detail, StringComparison.Ordinal);
        await queries.DidNotReceiveWithAnyArgs().GetPapersAsync(default!, default, default, default);
    }

    [Fact]
    public async Task GetProfilePapers_Returns400WithProblemOfQuery()
    {
        queries.GetPapersAsync("boyu-shi", "bad", null, Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<PaperSummaryView>>.Invalid("cursor is not valid"));
        var request = Get("/api/profiles/boyu-shi/papers", "?cursor=bad");

        var result = await functions.GetProfilePapers(request, "boyu-shi", CancellationToken.None);

        Assert.Equal("cursor is not valid", Problem(result, StatusCodes.Status400BadRequest).Detail);
    }

    [Fact]
    public async Task GetProfilePapers_Returns404_ForUnknownAuthor()
    {
        queries.GetPapersAsync("nobody", Arg.Any<string?>(), Arg.Any<int?>(), Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<PaperSummaryView>>.Ok(null));
        var request = Get("/api/profiles/nobody/papers");

        var result = await functions.GetProfilePapers(request, "nobody", CancellationToken.None);

        Problem(result, StatusCodes.Status404NotFound);
    }

    [Fact]
    public async Task GetProfilePapers_ReturnsPageWithNextLink()
    {
        var page = new Page<PaperSummaryView>([Summary("arxiv:2303.11698")], "/api/profiles/boyu-shi/papers?cursor=abc&top=1");
        queries.GetPapersAsync("boyu-shi", "xyz", 1, Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<PaperSummaryView>>.Ok(page));
        var request = Get("/api/profiles/boyu-shi/papers", "?cursor=xyz&top=1");

        var result = await functions.GetProfilePapers(request, "boyu-shi", CancellationToken.None);

        var body = Body(result);
        Assert.Equal("arxiv:2303.11698", body.GetProperty("papers")[0].GetProperty("id").GetString());
        Assert.Equal("/api/profiles/boyu-shi/papers?cursor=abc&top=1", body.GetProperty("next").GetString());
    }

    [Fact]
    public async Task FindProfiles_PassesQueryCursorAndTop()
    {
        queries.FindAsync(Arg.Any<string?>(), Arg.Any<string?>(), Arg.Any<int?>(), Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<NameHit>>.Ok(new Page<NameHit>([], null)));
        var request = Get("/api/profiles", "?q=boyu%20sh&cursor=Y3Vyc29y&top=5");

        await functions.FindProfiles(request, CancellationToken.None);

        await queries.Received(1).FindAsync("boyu sh", "Y3Vyc29y", 5, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task FindProfiles_ReturnsAuthorsWithLinks()
    {
        var hits = new Page<NameHit>([new NameHit("boyu-shi", "Boyu Shi", 7, "cs.LG")], "/api/profiles?q=boyu&cursor=abc&top=20");
        queries.FindAsync("boyu", Arg.Any<string?>(), Arg.Any<int?>(), Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<NameHit>>.Ok(hits));
        var request = Get("/api/profiles", "?q=boyu");

        var result = await functions.FindProfiles(request, CancellationToken.None);

        var author = Body(result).GetProperty("authors")[0];
        Assert.Equal("boyu-shi", author.GetProperty("id").GetString());
        Assert.Equal("Boyu Shi", author.GetProperty("name").GetString());
        Assert.Equal(7, author.GetProperty("paperCount").GetInt32());
        Assert.Equal("cs.LG", author.GetProperty("primaryCategory").GetString());
        Assert.Equal("/api/profiles/boyu-shi", author.GetProperty("href").GetString());
    }

    [Fact]
    public async Task FindProfiles_Returns400WithProblemOfQuery()
    {
        queries.FindAsync(Arg.Any<string?>(), Arg.Any<string?>(), Arg.Any<int?>(), Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<NameHit>>.Invalid("q is required"));
        var request = Get("/api/profiles");

        var result = await functions.FindProfiles(request, CancellationToken.None);

        Assert.Equal("q is required", Problem(result, StatusCodes.Status400BadRequest).Detail);
    }

    [Fact]
    public async Task FindProfiles_Returns400_WhenTopIsNotANumber()
    {
        var request = Get("/api/profiles", "?q=boyu&top=ten");

        var result = await functions.FindProfiles(request, CancellationToken.None);

        Problem(result, StatusCodes.Status400BadRequest);
        await queries.DidNotReceiveWithAnyArgs().FindAsync(default, default, default, default);
    }

    private static PaperSummaryView Summary(string id) => new()
    {
        Id = id,
        Title = "Deep Nets",
        Authors = ["Boyu Shi"],
        AuthorCount = 1,
        Published = "2024-03-01",
        Href = "/api/papers/" + Uri.EscapeDataString(id),
    };
}

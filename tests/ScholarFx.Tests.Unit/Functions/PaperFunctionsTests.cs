using Microsoft.AspNetCore.Http;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Functions.Http;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class PaperFunctionsTests
{
    private readonly IPaperQueries queries = Substitute.For<IPaperQueries>();
    private readonly PaperFunctions functions;

    public PaperFunctionsTests()
    {
        functions = new PaperFunctions(queries, Api());
    }

    [Fact]
    public async Task GetPaper_DecodesPercentEncodedId_BeforeQuery()
    {
        var request = Get("/api/papers/doi%3A10.1000%2Fxyz");

        await functions.GetPaper(request, "doi%3A10.1000%2Fxyz", CancellationToken.None);

        await queries.Received(1).GetPaperAsync("doi:10.1000/xyz", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task GetPaper_DecodesIdWhoseSlashOnlyIsEncoded()
    {
        var request = Get("/api/papers/doi:10.1000%2Fxyz");

        await functions.GetPaper(request, "doi:10.1000%2Fxyz", CancellationToken.None);

        await queries.Received(1).GetPaperAsync("doi:10.1000/xyz", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task GetPaper_Returns200WithPaperJson()
    {
        queries.GetPaperAsync("doi:10.1000/xyz", Arg.Any<CancellationToken>()).Returns(View("doi:10.1000/xyz"));
        var request = Get("/api/papers/doi%3A10.1000%2Fxyz");

        var result = await functions.GetPaper(request, "doi%3A10.1000%2Fxyz", CancellationToken.None);

        var body = Body(result);
        Assert.Equal("doi:10.1000/xyz", body.GetProperty("id").GetString());
        Assert.Equal("We study deep nets.", body.GetProperty("abstract").GetString());
        Assert.Equal("not scored", body.GetProperty("noveltyExplanation").GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(request.HttpContext.Response.Headers.ETag.ToString()));
    }

    [Fact]
    public async Task GetPaper_Returns304_WhenETagOfPreviousResponseIsSent()
    {
        queries.GetPaperAsync("doi:10.1000/xyz", Arg.Any<CancellationToken>()).Returns(View("doi:10.1000/xyz"));
        var first = Get("/api/papers/doi%3A10.1000%2Fxyz");
        await functions.GetPaper(first, "doi%3A10.1000%2Fxyz", CancellationToken.None);
        var second = Get("/api/papers/doi%3A10.1000%2Fxyz");
        second.Headers.IfNoneMatch = first.HttpContext.Response.Headers.ETag;

        var result = await functions.GetPaper(second, "doi%3A10.1000%2Fxyz", CancellationToken.None);

        Assert.Equal(StatusCodes.Status304NotModified, Assert.IsType<Microsoft.AspNetCore.Mvc.StatusCodeResult>(result).StatusCode);
    }

    [Fact]
    public async Task GetPaper_Returns404ProblemJson_ForUnknownPaper()
    {
        var request = Get("/api/papers/arxiv%3A9999.99999");

        var result = await functions.GetPaper(request, "arxiv%3A9999.99999", CancellationToken.None);

        var problem = Problem(result, StatusCodes.Status404NotFound);
        Assert.Contains("arxiv:9999.99999", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPaper_Returns400_ForEmptyId()
    {
        var request = Get("/api/papers/");

        var result = await functions.GetPaper(request, "", CancellationToken.None);

        Problem(result, StatusCodes.Status400BadRequest);
        await queries.DidNotReceiveWithAnyArgs().GetPaperAsync(default!, default);
    }

    private static PaperView View(string id) => new()
    {
        Id = id,
        Title = "Deep Nets",
        Abstract = "We study deep nets.",
        Authors = [new PaperAuthorView("Boyu Shi", "boyu-shi", null, "/api/profiles/boyu-shi")],
        Category = "cs.LG",
        Categories = ["cs.LG"],
        Published = "2024-03-01",
        Aliases = [id],
        Sources = ["scholarfx-json"],
        NoveltyExplanation = new NoveltyExplanationView(null, [], null, null, null, null, null, null, "not scored", null, null, false),
        AiAssessment = AiAssessmentView.From(Score.NotScored),
        UpdatedAt = FixedClock.Default,
    };
}

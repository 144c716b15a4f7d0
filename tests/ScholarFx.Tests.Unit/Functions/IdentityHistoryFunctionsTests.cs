using Microsoft.AspNetCore.Http;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Identity;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class IdentityHistoryFunctionsTests
{
    private readonly IIdentityHistory history = Substitute.For<IIdentityHistory>();

    private IdentityHistoryFunctions Functions => new(history, Api());

    private static HttpRequest Revert(string query)
    {
        var request = Get("/api/admin/identity/revert", query);
        request.Method = HttpMethods.Post;
        return request;
    }

    [Fact]
    public async Task GetProfileHistory_AnswersAPageOfEntries_AndTheNextLink()
    {
        var entry = new IdentityChange { Id = "e@ada-byron", Kind = IdentityChange.Merge, Time = DateTimeOffset.UnixEpoch, Source = "curations/x.json correction 1", Profiles = ["ada-byron"] };
        history.GetPageAsync("ada-byron", "c", 1, Arg.Any<CancellationToken>())
            .Returns(QueryResult<Page<IdentityChange>>.Ok(new Page<IdentityChange>([entry], "/api/profiles/ada-byron/history?cursor=d&top=1")));

        var body = Body(await Functions.GetProfileHistory(Get("/api/profiles/ada-byron/history", "?cursor=c&top=1"), "ada-byron", CancellationToken.None));

        Assert.Equal(("e@ada-byron", true), (body.GetProperty("entries")[0].GetProperty("id").GetString(), body.GetProperty("entries")[0].GetProperty("revertible").GetBoolean()));
        Assert.Equal("/api/profiles/ada-byron/history?cursor=d&top=1", body.GetProperty("next").GetString());
    }

    [Fact]
    public async Task GetProfileHistory_Is404_ForAnIdWithoutHistory_And400_ForABadCursor()
    {
        history.GetPageAsync("nobody", "", null, Arg.Any<CancellationToken>()).Returns(QueryResult<Page<IdentityChange>>.Ok(null));
        history.GetPageAsync("ada-byron", "bad", null, Arg.Any<CancellationToken>()).Returns(QueryResult<Page<IdentityChange>>.Invalid("cursor is not valid"));

        Problem(await Functions.GetProfileHistory(Get("/api/profiles/nobody/history"), "nobody", CancellationToken.None), StatusCodes.Status404NotFound);
        Problem(await Functions.GetProfileHistory(Get("/api/profiles/ada-byron/history", "?cursor=bad"), "ada-byron", CancellationToken.None), StatusCodes.Status400BadRequest);
    }

    [Theory]
    [InlineData(RevertStatus.NotFound, StatusCodes.Status404NotFound)]
    [InlineData(RevertStatus.Conflict, StatusCodes.Status409Conflict)]
    public async Task RevertIdentityCorrection_AnswersProblems_ForAnUnknownOrUnrevertableEntry(RevertStatus status, int expected)
    {
        history.RevertAsync("e@x", "library", Arg.Any<CancellationToken>()).Returns(new RevertOutcome(status, "why", null, 0));

        Assert.Equal("why", Problem(await Functions.RevertIdentityCorrection(Revert("?entry=e%40x&curator=library"), CancellationToken.None), expected).Detail);
    }

    [Fact]
    public async Task RevertIdentityCorrection_Is400_WithoutAnEntry_AndAnswersTheRevert()
    {
        var revert = new IdentityChange { Id = "r@x", Kind = IdentityChange.Revert, Time = DateTimeOffset.UnixEpoch, Source = "revert", Profiles = ["x"], RevertOf = "e@x" };
        history.RevertAsync("e@x", "admin", Arg.Any<CancellationToken>()).Returns(new RevertOutcome(RevertStatus.Reverted, null, revert, 2));

        Problem(await Functions.RevertIdentityCorrection(Revert(""), CancellationToken.None), StatusCodes.Status400BadRequest);
        var body = Body(await Functions.RevertIdentityCorrection(Revert("?entry=e%40x"), CancellationToken.None));

        Assert.Equal(("Reverted", 2, "e@x"), (body.GetProperty("status").GetString(), body.GetProperty("papersMoved").GetInt32(), body.GetProperty("revert").GetProperty("revertOf").GetString()));
    }
}

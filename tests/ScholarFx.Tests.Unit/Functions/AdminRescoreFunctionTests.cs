using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Rescore;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class AdminRescoreFunctionTests
{
    private static readonly RescoreRun Run = new()
    {
        Id = "20261129T020000-abc123",
        Trigger = "admin",
        Phase = RescorePhase.Embed,
        ShardsDone = "10",
        StartedAt = DateTimeOffset.Parse("2026-11-29T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        PhaseTotal = 4000,
        PhaseDone = 2000,
    };

    [Fact]
    public async Task StartRescore_Answers202_WithTheRunAndItsStatusUrl_WithoutWaitingForIt()
    {
        var rescore = Substitute.For<IRescoreService>();
        rescore.StartAsync("admin", true, Arg.Any<CancellationToken>()).Returns(Run);
        var request = Get("/api/admin/rescore", "?full=true");
        request.Method = HttpMethods.Post;

        var result = await new AdminRescoreFunction(rescore, Api()).StartRescore(request, CancellationToken.None);

        Assert.Equal(StatusCodes.Status202Accepted, ((ContentResult)result).StatusCode);
        Assert.Equal("/api/admin/rescore/20261129T020000-abc123", request.HttpContext.Response.Headers.Location.ToString());
        var body = Body(result, StatusCodes.Status202Accepted);
        Assert.Equal("Embed", body.GetProperty("phase").GetString());
        Assert.Equal("10", body.GetProperty("shardsDone").GetString());
        await rescore.DidNotReceiveWithAnyArgs().RunAsync(default, default);
    }

    [Fact]
    public async Task GetRescore_ServesTheRun_Or404()
    {
        var rescore = Substitute.For<IRescoreService>();
        rescore.GetAsync(Run.Id, Arg.Any<CancellationToken>()).Returns(Run);
        var function = new AdminRescoreFunction(rescore, Api());

        var found = await function.GetRescore(Get("/api/admin/rescore/" + Run.Id), Run.Id, CancellationToken.None);
        var missing = await function.GetRescore(Get("/api/admin/rescore/nope"), "nope", CancellationToken.None);

        Assert.Equal(2000, Body(found).GetProperty("phaseDone").GetInt32());
        Assert.Equal(StatusCodes.Status404NotFound, ((ObjectResult)missing).StatusCode);
    }
}

using Microsoft.AspNetCore.Http;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Rescore;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class AdminRescoreFunctionTests
{
    [Fact]
    public async Task StartRescore_RunsTheRescoreAndReportsWhatItDid()
    {
        var rescore = Substitute.For<IRescoreService>();
        rescore.RunAsync(Arg.Any<CancellationToken>()).Returns(new RescoreResult(2, 1, 12, 3, TimeSpan.FromSeconds(1.5)));
        var request = Get("/api/admin/rescore");
        request.Method = HttpMethods.Post;

        var result = await new AdminRescoreFunction(rescore, Api()).StartRescore(request, CancellationToken.None);

        var body = Body(result);
        Assert.Equal(2, body.GetProperty("embedded").GetInt32());
        Assert.Equal(1, body.GetProperty("assessed").GetInt32());
        Assert.Equal(12, body.GetProperty("papersChanged").GetInt32());
        Assert.Equal(3, body.GetProperty("profilesRebuilt").GetInt32());
        Assert.Equal(1.5, body.GetProperty("elapsedSeconds").GetDouble());
    }
}

using Microsoft.AspNetCore.Http;
using ScholarFx.Core.Storage;
using ScholarFx.Core.Health;
using ScholarFx.Functions.Http;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class HealthFunctionTests
{
    private readonly IHealthService health = Substitute.For<IHealthService>();
    private readonly HealthFunction function;

    public HealthFunctionTests()
    {
        function = new HealthFunction(health, Api());
    }

    [Fact]
    public async Task Health_Returns503_WhenStorageIsUnreachable()
    {
        health.CheckAsync(Arg.Any<CancellationToken>()).Returns(
            new HealthReport("unhealthy", false, "RequestFailedException: connection refused", null, new HealthModels(null, null, true), null, null));
        var request = Get("/api/health");

        var result = await function.Health(request, CancellationToken.None);

        var body = Body(result, StatusCodes.Status503ServiceUnavailable);
        Assert.False(body.GetProperty("storageReachable").GetBoolean());
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_Returns503_WhenStorageIsUnreachable_EvenForConditionalRequest()
    {
        health.CheckAsync(Arg.Any<CancellationToken>()).Returns(
            new HealthReport("unhealthy", false, "RequestFailedException: connection refused", null, new HealthModels(null, null, true), null, null));
        var first = Get("/api/health");
        await function.Health(first, CancellationToken.None);
        var second = Get("/api/health");
        second.Headers.IfNoneMatch = first.HttpContext.Response.Headers.ETag;

        var result = await function.Health(second, CancellationToken.None);

        Body(result, StatusCodes.Status503ServiceUnavailable);
    }

    [Fact]
    public async Task Health_Returns200WithReport_WhenStorageIsReachable()
    {
        health.CheckAsync(Arg.Any<CancellationToken>()).Returns(
            new HealthReport("healthy", true, null, 1234, new HealthModels("all-MiniLM-L6-v2", null, true), null, null));
        var request = Get("/api/health");

        var result = await function.Health(request, CancellationToken.None);

        var body = Body(result);
        Assert.Equal(1234, body.GetProperty("corpusSize").GetInt64());
        Assert.Equal("all-MiniLM-L6-v2", body.GetProperty("models").GetProperty("novelty").GetString());
    }

    [Fact]
    public async Task Health_IsNotCached()
    {
        health.CheckAsync(Arg.Any<CancellationToken>()).Returns(
            new HealthReport("healthy", true, null, 0, new HealthModels(null, null, true), null, null));
        var request = Get("/api/health");

        await function.Health(request, CancellationToken.None);

        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
    }
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Rescore;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class RescoreFunctionTests
{
    [Fact]
    public async Task Rescore_StartsOneFannedOutRun_AlsoWhenPastDue()
    {
        var service = Substitute.For<IRescoreService>();
        var function = new RescoreFunction(service, Options.Create(new RescoreOptions { RecomputeAll = true }), NullLogger<RescoreFunction>.Instance);
        using var cancellation = new CancellationTokenSource();

        await function.Rescore(new TimerInfo { IsPastDue = true }, cancellation.Token);

        await service.Received(1).StartAsync("timer", true, cancellation.Token);
        await service.DidNotReceiveWithAnyArgs().RunAsync(default, default);
    }

    [Fact]
    public async Task RescoreShard_RunsTheShardOfTheMessage()
    {
        var service = Substitute.For<IRescoreService>();
        var function = new RescoreFunction(service, Options.Create(new RescoreOptions()), NullLogger<RescoreFunction>.Instance);
        var message = new RescoreShardMessage("run-1", RescorePhase.Assess, 3);

        await function.RescoreShard(message, CancellationToken.None);

        await service.Received(1).RunShardAsync(message, CancellationToken.None);
    }
}

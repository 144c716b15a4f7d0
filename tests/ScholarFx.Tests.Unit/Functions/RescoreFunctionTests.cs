using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Rescore;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class RescoreFunctionTests
{
    [Fact]
    public async Task Rescore_RunsRescoreService()
    {
        var service = Substitute.For<IRescoreService>();
        var function = new RescoreFunction(service);
        using var cancellation = new CancellationTokenSource();

        await function.Rescore(new TimerInfo(), cancellation.Token);

        await service.Received(1).RunAsync(cancellation.Token);
    }
}

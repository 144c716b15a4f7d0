using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Rescore;

namespace ScholarFx.Functions.Rescore;

/// <summary>The nightly rescore on <c>%RescoreSchedule%</c> (default <c>0 0 2 * * *</c>, 02:00 UTC).</summary>
public sealed class RescoreFunction(IRescoreService rescore)
{
    /// <summary>Rescores what needs it and rebuilds the affected profiles.</summary>
    [Function(nameof(Rescore))]
    public async Task Rescore(
        [TimerTrigger("%RescoreSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        await rescore.RunAsync(cancellationToken);
    }
}

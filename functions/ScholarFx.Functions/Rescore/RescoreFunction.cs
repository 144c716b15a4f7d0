using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Rescore;

namespace ScholarFx.Functions.Rescore;

/// <summary>The nightly rescore on <c>%RescoreSchedule%</c> (default <c>0 0 2 * * *</c>, 02:00 UTC).</summary>
public sealed class RescoreFunction(IRescoreService rescore, IOptions<RescoreOptions> options, ILogger<RescoreFunction> logger)
{
    /// <summary>
    /// Starts a run that fans out over the rescore queue. A start while a run is active joins it, so a past-due
    /// occurrence (the host was down at 02:00) runs once, and the timer and an admin call never run twice.
    /// </summary>
    [Function(nameof(Rescore))]
    public async Task Rescore(
        [TimerTrigger("%RescoreSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            logger.LogInformation("The nightly rescore is past due; starting it now (once)");
        }

        await rescore.StartAsync("timer", options.Value.RecomputeAll, cancellationToken);
    }

    /// <summary>One shard of a run's phase. A failure throws, so the host retries it; the shard only does what is left.</summary>
    [Function(nameof(RescoreShard))]
    public async Task RescoreShard(
        [QueueTrigger(Core.Storage.StorageNames.RescoreQueue, Connection = Core.Storage.StorageConnection.SectionName)] RescoreShardMessage message,
        CancellationToken cancellationToken)
    {
        await rescore.RunShardAsync(message, cancellationToken);
    }
}

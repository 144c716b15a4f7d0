namespace ScholarFx.Core.Harvest;

/// <summary>
/// The time the harvest waits and dates by: the politeness interval, back-off and Retry-After waits, the window's
/// "today" and the status's times. The app's <see cref="TimeProvider"/> unless a test gives a clock of its own, so that
/// waits are counted, never slept.
/// </summary>
public sealed class HarvestClock(TimeProvider time)
{
    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Now.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Today (UTC), the day OAI-PMH datestamps are in.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>Waits <paramref name="delay"/> on this clock.</summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, Time, cancellationToken) : Task.CompletedTask;
}

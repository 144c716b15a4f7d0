namespace ScholarFx.Core.Harvest;

/// <summary>
/// One request per interval to one source: each request waits for its turn, and a Retry-After or a back-off pushes
/// the next turn later. One gate per source, shared by every run in the process (the harvest lease keeps one run per
/// source across instances).
/// </summary>
internal sealed class PolitenessGate(TimeSpan interval, HarvestClock clock)
{
    private readonly Lock gate = new();
    private DateTimeOffset next = DateTimeOffset.MinValue;

    /// <summary>The least time between two requests.</summary>
    public TimeSpan Interval { get; } = interval;

    /// <summary>Waits until a request may be sent and takes that turn.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now;
        DateTimeOffset turn;
        lock (gate)
        {
            now = clock.Now;
            turn = next > now ? next : now;
            next = turn + Interval;
        }

        await clock.DelayAsync(turn - now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>No request before <paramref name="delay"/> from now (a Retry-After, a back-off).</summary>
    public void Defer(TimeSpan delay)
    {
        lock (gate)
        {
            var at = clock.Now + delay;
            if (at > next)
            {
                next = at;
            }
        }
    }
}

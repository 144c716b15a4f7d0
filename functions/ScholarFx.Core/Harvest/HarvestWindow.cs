using System.Globalization;

namespace ScholarFx.Core.Harvest;

/// <summary>
/// The days a harvest run asks a source for, both inclusive (OAI-PMH <c>from</c>/<c>until</c>, OpenAlex publication
/// dates); <paramref name="Repeat"/> tells apart a run of a window already completed the same day (the time it started).
/// </summary>
public readonly record struct HarvestWindow(DateOnly From, DateOnly Until, string? Repeat = null)
{
    /// <summary>
    /// The window's folder name: <c>2026-03-01_2026-03-10</c>, and <c>_083000</c> for a repeat, whose pages may hold
    /// what the source changed since: under the same names they would be taken for pages already stored.
    /// </summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd}_{Until:yyyy-MM-dd}") + (Repeat is null ? "" : "_" + Repeat);

    /// <summary>
    /// The window a run opens: from the last completed window's last day (datestamps are days, so that day is asked
    /// again — the overlap merging absorbs), else the configured first day, else <paramref name="backfillYears"/>
    /// before today; to today.
    /// </summary>
    /// <param name="completedUntil">The last day of the last completed window.</param>
    /// <param name="configuredFrom">The configured first day of the backfill.</param>
    /// <param name="today">Today (UTC).</param>
    /// <param name="backfillYears">How far back a first run goes without a configured first day.</param>
    /// <param name="now">When the run starts: names a repeat of a window already completed today.</param>
    public static HarvestWindow Next(DateOnly? completedUntil, DateOnly? configuredFrom, DateOnly today, int backfillYears = 3, DateTimeOffset? now = null)
    {
        var from = completedUntil ?? configuredFrom ?? today.AddYears(-backfillYears);
        var repeat = completedUntil == today && now is { } at ? at.UtcDateTime.ToString("HHmmss", CultureInfo.InvariantCulture) : null;
        return new HarvestWindow(from > today ? today : from, today, repeat);
    }
}

using System.Globalization;

namespace ScholarFx.Core.Harvest;

/// <summary>The days a harvest run asks a source for, both inclusive (OAI-PMH <c>from</c>/<c>until</c>, OpenAlex publication dates).</summary>
public readonly record struct HarvestWindow(DateOnly From, DateOnly Until)
{
    /// <summary>The window's folder name: <c>2026-03-01_2026-03-10</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd}_{Until:yyyy-MM-dd}");

    /// <summary>
    /// The window a run opens: from the last completed window's last day (datestamps are days, so that day is asked
    /// again — the overlap merging absorbs), else the configured first day, else <paramref name="backfillYears"/>
    /// before today; to today.
    /// </summary>
    public static HarvestWindow Next(DateOnly? completedUntil, DateOnly? configuredFrom, DateOnly today, int backfillYears = 3)
    {
        var from = completedUntil ?? configuredFrom ?? today.AddYears(-backfillYears);
        return new HarvestWindow(from > today ? today : from, today);
    }
}

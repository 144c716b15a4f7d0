using Cronos;

namespace ScholarFx.Core.Harvest;

/// <summary>A source's timer schedule (6-field NCRONTAB, UTC): checked at start, and its next occurrence for health.</summary>
internal static class HarvestSchedule
{
    /// <summary>What is wrong with <paramref name="schedule"/>, or null.</summary>
    public static string? Problem(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return "is required (6-field NCRONTAB, UTC)";
        }

        try
        {
            _ = Parse(schedule);
            return null;
        }
        catch (CronFormatException e)
        {
            return $"is not an NCRONTAB expression ({e.Message})";
        }
    }

    /// <summary>When the schedule next fires after <paramref name="now"/>, or null when it cannot be told.</summary>
    public static DateTimeOffset? Next(string schedule, DateTimeOffset now)
    {
        try
        {
            return Parse(schedule).GetNextOccurrence(now, TimeZoneInfo.Utc);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    private static CronExpression Parse(string schedule) =>
        CronExpression.Parse(schedule.Trim(), schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
}

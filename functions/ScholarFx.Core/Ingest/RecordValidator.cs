namespace ScholarFx.Core.Ingest;

/// <summary>Checks that a record read from any format has what a paper needs.</summary>
public sealed class RecordValidator(TimeProvider clock)
{
    /// <summary>Why the record cannot become a paper, or null when it can.</summary>
    public string? Problem(SourceRecord record)
    {
        if (string.IsNullOrWhiteSpace(record.Title))
        {
            return "missing title";
        }

        if (string.IsNullOrWhiteSpace(record.Abstract))
        {
            return "missing abstract";
        }

        if (record.Authors.Count == 0)
        {
            return "missing authors";
        }

        if (record.Published is not { } published)
        {
            return "missing published date (YYYY-MM-DD)";
        }

        // One day of slack for time zones: a paper dated tomorrow in UTC+14 is real, one dated next month is not.
        var latest = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        if (published > latest)
        {
            return $"published date {published:yyyy-MM-dd} is in the future";
        }

        if (published.Year < 1600)
        {
            return $"published date {published:yyyy-MM-dd} is implausibly early";
        }

        return null;
    }
}

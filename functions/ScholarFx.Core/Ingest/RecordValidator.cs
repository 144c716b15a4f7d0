namespace ScholarFx.Core.Ingest;

/// <summary>Checks that a record read from any format has what a paper needs.</summary>
public sealed class RecordValidator(TimeProvider clock)
{
    /// <summary>
    /// Why a record with only a year (or year and month) matched no stored paper. A made-up 1 January would put the
    /// paper months early among the papers novelty compares it with, and merging keeps the earliest date any source
    /// gives, so it would also overwrite another source's real date; such a record can only add to a known paper.
    /// </summary>
    public static string PartialDateProblem(string partly) =>
        $"only {partly} is given as the publication date and no stored paper matches the record; a new paper needs a full date (YYYY-MM-DD), and no day is made up (a record like this can still add citations and ids to a paper another source gave)";

    /// <summary>Why the record cannot become a paper, or null when it can (a partial date is decided when the record is matched).</summary>
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

        if (record.Published is null && record.PublishedPartly is not null)
        {
            // Decided once the record is matched: it may add to a paper another source gave (PartialDateProblem).
            return null;
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

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Checks that a record read from any format has what a paper needs, and that each value fits where it is stored: a
/// Table Storage key holds at most 1 KiB and a property 32K characters, and one value too long for either would fail
/// the whole batch it is written in. Real values are far below these caps (arXiv titles stay under 300 characters,
/// abstracts under 2,000, long ones are kept in a blob), so a record over one is refused with the cap in its error.
/// </summary>
public sealed class RecordValidator(TimeProvider clock)
{
    /// <summary>Longest title (characters).</summary>
    public const int MaxTitleChars = 1_000;

    /// <summary>
    /// Longest abstract (characters). Abstracts over a property's 32K characters are kept in a blob
    /// (<c>LargeText</c>); the cap bounds what the embedder and the assessors are handed (about 50,000 tokens).
    /// </summary>
    public const int MaxAbstractChars = 200_000;

    /// <summary>Most authors of one paper (large collaborations list about 3,000).</summary>
    public const int MaxAuthors = 5_000;

    /// <summary>Longest author name (characters); the name's key is a table key.</summary>
    public const int MaxAuthorNameChars = 200;

    /// <summary>Longest id of any scheme (characters); an id is a table key.</summary>
    public const int MaxIdChars = 200;

    /// <summary>Most institutions given for one author of one paper.</summary>
    public const int MaxAffiliations = 10;

    /// <summary>Longest institution name (characters).</summary>
    public const int MaxAffiliationChars = 300;

    /// <summary>Most years of per-year citation counts (a century).</summary>
    public const int MaxCitationYears = 100;

    /// <summary>Most categories of one paper.</summary>
    public const int MaxCategories = 20;

    /// <summary>Longest category (characters).</summary>
    public const int MaxCategoryChars = 64;

    /// <summary>
    /// Why a record with only a year (or year and month) matched no stored paper. A made-up 1 January would put the
    /// paper months early among the papers novelty compares it with, and merging keeps the earliest date any source
    /// gives, so it would also overwrite another source's real date; such a record can only add to a known paper.
    /// </summary>
    public static string PartialDateProblem(string partly) =>
        $"only {partly} is given as the publication date and no stored paper matches the record; a new paper needs a full date (YYYY-MM-DD), and no day is made up (a record like this can still add citations and ids to a paper another source gave)";

    /// <summary>
    /// The record without the optional per-author values it cannot keep — an ORCID iD that fails its check or is too
    /// long, affiliations past their number or length, author ids too long — and a warning for each: a paper is not
    /// lost for one bad author field. The same record back when there is nothing to drop.
    /// </summary>
    public static (SourceRecord Record, IReadOnlyList<string> Warnings) WithoutBadAuthorFields(SourceRecord record)
    {
        List<string>? warnings = null;
        List<Papers.PaperAuthor>? authors = null;
        for (var i = 0; i < record.Authors.Count; i++)
        {
            var author = record.Authors[i];
            var kept = author;
            if (author.Orcid is { } given && (given.Length > MaxIdChars || !Papers.AuthorKey.IsOrcid(given)))
            {
                // An ORCID joins profiles (docs/identity.md): a mistyped one would join the wrong person, so it is dropped.
                (warnings ??= []).Add($"author {i + 1}'s ORCID iD '{(given.Length > 40 ? given[..40] + "…" : given)}' is not valid (expected 0000-0002-1825-0097 or its https://orcid.org/ link, with a correct check digit); the paper is kept without it");
                kept = kept with { Orcid = null };
            }

            var institutions = author.Institutions;
            if (institutions.Count > MaxAffiliations || institutions.Any(a => a.Length > MaxAffiliationChars))
            {
                (warnings ??= []).Add($"author {i + 1} has {institutions.Count:N0} affiliations; those over {MaxAffiliationChars} characters and past the first {MaxAffiliations} were dropped");
                var fitting = institutions.Where(a => a.Length <= MaxAffiliationChars).Take(MaxAffiliations).ToList();
                kept = kept with { Affiliations = fitting.Count > 0 ? fitting : null };
            }

            if (author.SourceIds.Any(id => id.Length > MaxIdChars))
            {
                (warnings ??= []).Add($"an id of author {i + 1} is over {MaxIdChars} characters and was dropped");
                var fitting = author.SourceIds.Where(id => id.Length <= MaxIdChars).ToList();
                kept = kept with { ExternalIds = fitting.Count > 0 ? fitting : null };
            }

            if (!ReferenceEquals(kept, author))
            {
                authors ??= [.. record.Authors];
                authors[i] = kept;
            }
        }

        return authors is null ? (record, []) : (record with { Authors = authors }, warnings!);
    }

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

        if (TooLong(record) is { } tooLong)
        {
            return tooLong;
        }

        if (WithoutBadAuthorFields(record).Warnings is [var notDropped, ..])
        {
            // A caller that did not drop them first still never stores them.
            return notDropped;
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

    /// <summary>The first value over its cap, described without repeating the value (it may be megabytes).</summary>
    private static string? TooLong(SourceRecord record)
    {
        static string Over(string what, int length, int cap) => $"{what} is {length:N0} characters long; at most {cap:N0} are accepted";

        if (record.Title!.Length > MaxTitleChars)
        {
            return Over("the title", record.Title.Length, MaxTitleChars);
        }

        if (record.Abstract!.Length > MaxAbstractChars)
        {
            return Over("the abstract", record.Abstract.Length, MaxAbstractChars);
        }

        if (record.Authors.Count > MaxAuthors)
        {
            return $"{record.Authors.Count:N0} authors; at most {MaxAuthors:N0} are accepted";
        }

        for (var i = 0; i < record.Authors.Count; i++)
        {
            if (record.Authors[i].Name.Length > MaxAuthorNameChars)
            {
                return Over($"author {i + 1}'s name", record.Authors[i].Name.Length, MaxAuthorNameChars);
            }
        }

        if (record.CitationsByYear.Count > MaxCitationYears)
        {
            return $"{record.CitationsByYear.Count:N0} years of citation counts; at most {MaxCitationYears} are accepted";
        }

        if (record.CitationsByYear.FirstOrDefault(y => y.Count < 0 || y.Year is < 1600 or > 9999) is { } badYear)
        {
            return $"citation count {badYear.Count} in year {badYear.Year} is not a count of a plausible year";
        }

        foreach (var (scheme, id) in new[] { ("the id", record.GivenId), ("the DOI", record.Doi), ("the arXiv id", record.ArxivId), ("the OpenAlex id", record.OpenAlexId), ("the Semantic Scholar id", record.SemanticScholarId) })
        {
            if (id is { Length: > MaxIdChars })
            {
                return Over(scheme, id.Length, MaxIdChars);
            }
        }

        if (record.Categories.Count > MaxCategories)
        {
            return $"{record.Categories.Count:N0} categories; at most {MaxCategories:N0} are accepted";
        }

        return record.Categories.FirstOrDefault(c => c.Length > MaxCategoryChars) is { } category
            ? Over("a category", category.Length, MaxCategoryChars)
            : null;
    }
}

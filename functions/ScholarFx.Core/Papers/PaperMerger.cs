using ScholarFx.Core.Ingest;

namespace ScholarFx.Core.Papers;

/// <summary>
/// Turns records into papers and merges a record into a stored paper. A record from a source that
/// already described the paper is a correction (its metadata replaces the stored one); a record from
/// another source only fills what the paper lacks. Publication date is the earliest any source gives;
/// citations are the most recent count given.
/// </summary>
public sealed class PaperMerger(TimeProvider clock)
{
    /// <summary>A new paper from a validated record; its id is the record's most preferred alias.</summary>
    public Paper Create(SourceRecord record)
    {
        var aliases = record.Aliases();
        return new Paper
        {
            Id = aliases[0],
            Title = record.Title!.Trim(),
            Abstract = record.Abstract!.Trim(),
            Authors = record.Authors,
            Categories = record.Categories,
            Published = record.Published!.Value,
            Citations = record.Citations,
            CitationsAsOf = record.Citations is null ? null : clock.GetUtcNow(),
            CitationsSource = record.Citations is null ? null : record.Source,
            CitationsByYear = record.Citations is null ? [] : record.CitationsByYear,
            Aliases = aliases,
            Sources = [record.Source],
            ContentHash = PaperIdentity.ContentHash(record.Title, record.Abstract),
            Retracted = record.Retracted == true,
            RetractedAt = record.Retracted == true ? clock.GetUtcNow() : null,
            UpdatedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>Two records of one file that describe the same paper become one record (later values win, gaps filled).</summary>
    public static SourceRecord Combine(SourceRecord first, SourceRecord later) => later with
    {
        GivenId = later.GivenId ?? first.GivenId,
        Title = later.Title ?? first.Title,
        Abstract = later.Abstract ?? first.Abstract,
        Authors = later.Authors.Count > 0 ? later.Authors : first.Authors,
        Categories = later.Categories.Count > 0 ? later.Categories : first.Categories,
        Published = Earliest(first.Published, later.Published),
        Citations = later.Citations ?? first.Citations,
        CitationsByYear = later.Citations is not null ? later.CitationsByYear : first.CitationsByYear,
        Doi = later.Doi ?? first.Doi,
        ArxivId = later.ArxivId ?? first.ArxivId,
        OpenAlexId = later.OpenAlexId ?? first.OpenAlexId,
        SemanticScholarId = later.SemanticScholarId ?? first.SemanticScholarId,
        Retracted = later.Retracted ?? first.Retracted,
    };

    /// <summary>The stored paper updated with a record.</summary>
    public Paper Merge(Paper stored, SourceRecord record)
    {
        var correction = stored.Sources.Contains(record.Source, StringComparer.Ordinal);
        var title = correction || string.IsNullOrWhiteSpace(stored.Title) ? record.Title!.Trim() : stored.Title;
        var @abstract = correction || string.IsNullOrWhiteSpace(stored.Abstract) ? record.Abstract!.Trim() : stored.Abstract;
        var contentHash = PaperIdentity.ContentHash(title, @abstract);
        var merged = stored with
        {
            Title = title,
            Abstract = @abstract,
            Authors = correction || stored.Authors.Count == 0 ? record.Authors : FillAuthorDetails(stored.Authors, record.Authors),
            Categories = correction || stored.Categories.Count == 0 ? record.Categories : stored.Categories,
            // The earliest date any source gives; a source correcting a paper only it describes may move the date.
            Published = correction && stored.Sources.All(x => x == record.Source)
                ? record.Published ?? stored.Published
                : Earliest(stored.Published, record.Published) ?? stored.Published,
            Citations = record.Citations ?? stored.Citations,
            CitationsAsOf = record.Citations is null ? stored.CitationsAsOf : clock.GetUtcNow(),
            CitationsSource = record.Citations is null ? stored.CitationsSource : record.Source,
            // The per-year counts go with the total they came with, never mixed from two sources.
            CitationsByYear = record.Citations is null ? stored.CitationsByYear : record.CitationsByYear,
            Aliases = [.. stored.Aliases.Concat(record.Aliases()).Distinct(StringComparer.Ordinal).OrderBy(PaperIdentity.Rank)],
            Sources = [.. stored.Sources.Append(record.Source).Distinct(StringComparer.Ordinal)],
            ContentHash = contentHash,
            // New text means the old scores describe another abstract: they are recomputed.
            Scores = contentHash == stored.ContentHash ? stored.Scores : PaperScores.NotScored,
            // A retraction (or a reinstatement) holds until a source says otherwise.
            Retracted = record.Retracted ?? stored.Retracted,
            RetractedAt = (record.Retracted ?? stored.Retracted) ? stored.RetractedAt ?? clock.GetUtcNow() : null,
        };
        return merged;
    }

    /// <summary>Whether a merge changed anything worth writing.</summary>
    public static bool Differs(Paper before, Paper after) =>
        before.Title != after.Title || before.Abstract != after.Abstract || before.Published != after.Published ||
        before.Citations != after.Citations || before.ContentHash != after.ContentHash ||
        !before.CitationsByYear.SequenceEqual(after.CitationsByYear) ||
        !before.Authors.SequenceEqual(after.Authors) || !before.Categories.SequenceEqual(after.Categories) ||
        !before.Aliases.SequenceEqual(after.Aliases) || !before.Sources.SequenceEqual(after.Sources) || before.Retracted != after.Retracted;

    /// <summary>Another source's ORCIDs and institutions fill what the stored authors lack (matched by name).</summary>
    private static IReadOnlyList<PaperAuthor> FillAuthorDetails(IReadOnlyList<PaperAuthor> stored, IReadOnlyList<PaperAuthor> incoming)
    {
        var byName = incoming.GroupBy(a => a.NameKey).ToDictionary(g => g.Key, g => g.First());
        return [.. stored.Select(a => byName.TryGetValue(a.NameKey, out var other)
            ? a with
            {
                Orcid = a.Orcid ?? other.Orcid,
                Affiliations = a.Institutions.Count == 0 && other.Institutions.Count > 0 ? other.Institutions : a.Affiliations,
                ExternalIds = a.SourceIds.Union(other.SourceIds, StringComparer.Ordinal).ToList() is { Count: > 0 } ids ? ids : null,
            }
            : a)];
    }

    private static DateOnly? Earliest(DateOnly? a, DateOnly? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}

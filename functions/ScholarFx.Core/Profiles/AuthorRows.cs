using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// How a paper projects into its authors' rows: the row writes and deletes that move it from one stored state to the
/// next. Ingest, settling and the rescore all apply them through <see cref="ProfileBuilder"/>, once per author.
/// </summary>
public static class AuthorRows
{
    /// <summary>
    /// The author-row writes and deletes that move a paper from its stored state to its new one: every row the new state
    /// has is written, and every row the old state had that the new one has not (an author removed, a row moved to a new
    /// date, or between the papers and the retracted papers) is deleted.
    /// </summary>
    public static IEnumerable<AuthorRowChange> Changes(Paper? before, Paper after)
    {
        var upserts = Rows(after).ToList();
        return [.. before is null ? [] : Deletes(Rows(before), upserts), .. upserts];
    }

    /// <summary>
    /// The same for a paper whose authors were rendered from <paramref name="rendered"/> and whose rows are now
    /// <paramref name="now"/> (each its <see cref="Reprojection"/>): every rendered row it no longer writes is deleted,
    /// then its rows now are applied.
    /// </summary>
    public static IEnumerable<AuthorRowChange> Changes(IEnumerable<AuthorRowChange> rendered, IReadOnlyCollection<AuthorRowChange> now) =>
        [.. Deletes(rendered, now), .. now];

    // Deletes of the rows written by before that after does not write.
    private static IEnumerable<AuthorRowChange> Deletes(IEnumerable<AuthorRowChange> before, IEnumerable<AuthorRowChange> after)
    {
        var kept = after.Where(c => c.Upsert is not null).Select(c => (c.AuthorId, c.Upsert!.RowKey)).ToHashSet();
        return before.Where(c => c.Upsert is not null && !kept.Contains((c.AuthorId, c.Upsert.RowKey))).Select(c => new AuthorRowChange(c.AuthorId, null, c.Upsert!.RowKey));
    }

    /// <summary>
    /// The rows a paper gives its authors, one per author: in the papers' range, or, for a retracted paper (it leaves
    /// every profile's figures, and the profile lists it apart), in the retracted range.
    /// </summary>
    private static IEnumerable<AuthorRowChange> Rows(Paper paper)
    {
        var names = paper.Authors.Select(a => a.Name).ToList();
        var provisional = IsProvisional(paper.Scores.Novelty) || IsProvisional(paper.Scores.AiScore);
        return paper.Authors.DistinctBy(a => a.Id).Select(author => new AuthorRowChange(author.Id, new AuthorPaper
        {
            Id = paper.Id,
            Title = paper.Title,
            Authors = [.. names.Take(AuthorStore.AuthorsPerRow)],
            AuthorCount = names.Count,
            Category = paper.PrimaryCategory,
            Published = paper.Published,
            Citations = paper.Citations,
            Novelty = paper.Scores.Novelty.Value,
            AiScore = paper.Scores.AiScore.Value,
            Pioneer = paper.Scores.Pioneer.Value,
            AuthorName = author.Name,
            Affiliations = author.Institutions.Count == 0 ? null : author.Institutions,
            Orcid = author.OrcidUnconfirmed ? null : author.Orcid,
            UnconfirmedOrcid = author.OrcidUnconfirmed ? author.Orcid : null,
            ExternalIds = author.SourceIds.Count == 0 ? null : author.SourceIds,
            CitationsByYear = paper.CitationsByYear.Count == 0 ? null : paper.CitationsByYear,
            Retracted = paper.Retracted,
            Provisional = provisional,
        }, null));
    }

    // The explanation says "provisional": true while the score waits to be settled (read without deserialising it).
    private static bool IsProvisional(Scoring.Score score) =>
        score.Details is { ValueKind: System.Text.Json.JsonValueKind.Object } details && details.TryGetProperty("provisional", out var flag) && flag.ValueKind == System.Text.Json.JsonValueKind.True;

    /// <summary>The rows a change from <paramref name="before"/> to <paramref name="after"/> retires, to keep with the paper.</summary>
    public static IReadOnlyList<RetiredRow> Retired(Paper? before, Paper after) =>
        [.. Changes(before, after).Where(c => c.Upsert is null).Select(c => new RetiredRow(c.AuthorId, c.DeleteRowKey!))];

    /// <summary>
    /// Every row the stored paper should have, and the deletes of the rows its last change retired: applied again after
    /// an attempt that may have died half-way, this leaves the authors' rows as the paper says whatever had been done.
    /// </summary>
    public static IEnumerable<AuthorRowChange> Reprojection(Paper stored)
    {
        var current = Changes(null, stored).ToList();
        var kept = current.Where(c => c.Upsert is not null).Select(c => (c.AuthorId, c.Upsert!.RowKey)).ToHashSet();
        return current.Concat(stored.RetiredRows.Where(r => !kept.Contains((r.AuthorId, r.RowKey))).Select(r => new AuthorRowChange(r.AuthorId, null, r.RowKey)));
    }
}

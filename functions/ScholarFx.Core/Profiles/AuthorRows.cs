using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// How a paper projects into its authors' rows: the row writes and deletes that move it from one stored state to the
/// next. Ingest, settling and the rescore all apply them through <see cref="ProfileBuilder"/>, once per author.
/// </summary>
public static class AuthorRows
{
    /// <summary>The author-row writes and deletes that move a paper from its stored state to its new one.</summary>
    public static IEnumerable<AuthorRowChange> Changes(Paper? before, Paper after)
    {
        if (after.Retracted)
        {
            // A retracted paper leaves every profile; its own record stays.
            return before is null || before.Retracted
                ? []
                : before.Authors.DistinctBy(a => a.Id).Select(a => new AuthorRowChange(a.Id, null, AuthorStore.PaperRowKey(before.Published, before.Id)));
        }

        // A reinstated paper comes back like a new one.
        return RowChanges(before is { Retracted: true } ? null : before, after);
    }

    private static IEnumerable<AuthorRowChange> RowChanges(Paper? before, Paper after)
    {
        var newAuthors = after.Authors.DistinctBy(a => a.Id).ToList();
        var newIds = newAuthors.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        if (before is not null)
        {
            foreach (var old in before.Authors.DistinctBy(a => a.Id))
            {
                // An author removed from the paper loses it; a changed date moves the row.
                if (!newIds.Contains(old.Id) || before.Published != after.Published)
                {
                    yield return new AuthorRowChange(old.Id, null, AuthorStore.PaperRowKey(before.Published, before.Id));
                }
            }
        }

        var names = after.Authors.Select(a => a.Name).ToList();
        foreach (var author in newAuthors)
        {
            yield return new AuthorRowChange(author.Id, new AuthorPaper
            {
                Id = after.Id,
                Title = after.Title,
                Authors = [.. names.Take(AuthorStore.AuthorsPerRow)],
                AuthorCount = names.Count,
                Category = after.PrimaryCategory,
                Published = after.Published,
                Citations = after.Citations,
                Novelty = after.Scores.Novelty.Value,
                AiScore = after.Scores.AiScore.Value,
                AuthorName = author.Name,
            }, null);
        }
    }

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
        var kept = current.Where(c => c.Upsert is not null).Select(c => (c.AuthorId, AuthorStore.PaperRowKey(c.Upsert!.Published, c.Upsert.Id))).ToHashSet();
        return current.Concat(stored.RetiredRows.Where(r => !kept.Contains((r.AuthorId, r.RowKey))).Select(r => new AuthorRowChange(r.AuthorId, null, r.RowKey)));
    }
}

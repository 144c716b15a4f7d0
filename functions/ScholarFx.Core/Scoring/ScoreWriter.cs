using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring;

/// <summary>Writes a rescored paper's scores only when they changed, and says how its authors' rows change.</summary>
public sealed class ScoreWriter(IPaperStore papers)
{
    /// <summary>Whether two scores are the same in every stored part.</summary>
    public static bool Same(Score? a, Score b) =>
        a is not null && a.Value == b.Value && a.Reason == b.Reason && a.Version == b.Version && a.Model == b.Model &&
        a.Details?.GetRawText() == b.Details?.GetRawText();

    /// <summary>
    /// Reads the paper, gives it the scores <paramref name="rescore"/> computes from it, and stores them when they differ,
    /// on condition that the paper is still the version read (another writer meanwhile: read and compute again);
    /// returns the paper as written and the changes its authors' rows need (the caller applies them once per author),
    /// or null when it is gone or nothing changed.
    /// </summary>
    public async Task<(Paper Paper, IReadOnlyList<AuthorRowChange> Changes)?> WriteAsync(string paperId, Func<Paper, PaperScores> rescore, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The version this process stored last (ingest's write, just before) is written on without a read: if
            // another writer changed the paper since, the write fails on its ETag and the next attempt reads it.
            var recent = attempt == 1 ? papers.Recent(paperId) : null;
            if ((recent ?? await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false)) is not { } paper)
            {
                return null;
            }

            var scores = rescore(paper);
            if (Same(paper.Scores.Novelty, scores.Novelty) && Same(paper.Scores.AiScore, scores.AiScore) && Same(paper.Scores.Pioneer, scores.Pioneer))
            {
                if (recent is not null)
                {
                    // "Nothing to write" is only sure of the stored version: read it.
                    continue;
                }

                return null;
            }

            var updated = paper with { Scores = scores };
            if (await papers.TryReplaceAsync(updated, cancellationToken).ConfigureAwait(false))
            {
                // Only the rows that changed (a score that only lost its provisional flag changes that flag: the rankings rank by it from then on).
                var before = AuthorRows.Changes(null, paper).Where(c => c.Upsert is not null).ToDictionary(c => c.AuthorId, c => c.Upsert!, StringComparer.Ordinal);
                return (updated, [.. AuthorRows.Changes(paper, updated).Where(c => c.Upsert is null || !before.TryGetValue(c.AuthorId, out var row) || !AuthorPaper.SameRow(row, c.Upsert))]);
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The scores of paper {paperId} could not be written after {MaxAttempts} attempts (it kept changing).");
            }
        }
    }

    private const int MaxAttempts = 10;
}

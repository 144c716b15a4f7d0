using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring;

/// <summary>Writes a rescored paper's scores, and its authors' paper rows, only when they changed.</summary>
public sealed class ScoreWriter(IPaperStore papers, IAuthorStore authors)
{
    /// <summary>Whether two scores are the same in every stored part.</summary>
    public static bool Same(Score? a, Score b) =>
        a is not null && a.Value == b.Value && a.Reason == b.Reason && a.Version == b.Version && a.Model == b.Model &&
        a.Details?.GetRawText() == b.Details?.GetRawText();

    /// <summary>
    /// Reads the paper, gives it the scores <paramref name="rescore"/> computes from it, and stores it and its authors'
    /// rows when they differ; returns the paper as written, or null when it is gone or nothing changed.
    /// </summary>
    public async Task<Paper?> WriteAsync(string paperId, Func<Paper, PaperScores> rescore, CancellationToken cancellationToken)
    {
        if (await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false) is not { } paper)
        {
            return null;
        }

        var scores = rescore(paper);
        if (Same(paper.Scores.Novelty, scores.Novelty) && Same(paper.Scores.AiScore, scores.AiScore))
        {
            return null;
        }

        var updated = paper with { Scores = scores };
        await papers.UpsertAsync(updated, cancellationToken).ConfigureAwait(false);
        await authors.WritePaperRowsAsync([.. IngestService.AuthorChanges(paper, updated)], cancellationToken).ConfigureAwait(false);
        return updated;
    }
}

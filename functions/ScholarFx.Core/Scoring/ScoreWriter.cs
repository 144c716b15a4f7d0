using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring;

/// <summary>Writes a rescored paper's score, and its authors' paper rows, only when the score changed.</summary>
public sealed class ScoreWriter(IPaperStore papers, IAuthorStore authors)
{
    /// <summary>Whether two scores are the same in every stored part.</summary>
    public static bool Same(Score? a, Score b) =>
        a is not null && a.Value == b.Value && a.Reason == b.Reason && a.Version == b.Version && a.Model == b.Model &&
        a.Details?.GetRawText() == b.Details?.GetRawText();

    /// <summary>Stores <paramref name="score"/> as the paper's score of <paramref name="kind"/> unless it equals <paramref name="stored"/>; true when written.</summary>
    public async Task<bool> WriteIfChangedAsync(string paperId, ScoreKind kind, Score score, Score? stored, CancellationToken cancellationToken)
    {
        if (Same(stored, score) || await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false) is not { } paper)
        {
            return false;
        }

        var updated = paper with
        {
            Scores = kind == ScoreKind.Novelty ? paper.Scores with { Novelty = score } : paper.Scores with { AiScore = score },
        };
        await papers.UpsertAsync(updated, cancellationToken).ConfigureAwait(false);
        await authors.WritePaperRowsAsync([.. IngestService.AuthorChanges(paper, updated)], cancellationToken).ConfigureAwait(false);
        return true;
    }
}

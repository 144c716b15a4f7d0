using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring;

/// <summary>Writes a rescored paper's scores only when they changed, and says how its authors' rows change.</summary>
public sealed class ScoreWriter(IPaperStore papers)
{
    /// <summary>Whether a paper's three scores are the same in every stored part.</summary>
    public static bool Same(PaperScores a, PaperScores b) => Same(a.Novelty, b.Novelty) && Same(a.AiScore, b.AiScore) && Same(a.Pioneer, b.Pioneer);

    /// <summary>Whether two scores are the same in every stored part.</summary>
    public static bool Same(Score? a, Score b) =>
        a is not null && a.Value == b.Value && a.Reason == b.Reason && a.Version == b.Version && a.Model == b.Model &&
        a.Details?.GetRawText() == b.Details?.GetRawText();

    /// <summary>
    /// Reads the paper, gives it the scores <paramref name="rescore"/> computes from it, and stores them when they differ,
    /// on condition that the paper is still the version read (another writer meanwhile: read and compute again);
    /// returns the paper as written and the changes its authors' rows need (the caller applies them once per author),
    /// or null when it is gone or nothing changed. <paramref name="reproject"/>: a paper whose stored scores are already
    /// the computed ones (a write whose answer was lost) is returned with every row of its authors, to be rendered again.
    /// </summary>
    public async Task<(Paper Paper, IReadOnlyList<AuthorRowChange> Changes)?> WriteAsync(string paperId, Func<Paper, PaperScores> rescore, CancellationToken cancellationToken, bool reproject = false)
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
            if (Same(paper.Scores, scores))
            {
                if (recent is not null)
                {
                    // "Nothing to write" is only sure of the stored version: read it.
                    continue;
                }

                return reproject ? (paper, [.. AuthorRows.Reprojection(paper)]) : null;
            }

            var updated = paper with { Scores = scores };
            if (await papers.TryReplaceAsync(updated, cancellationToken).ConfigureAwait(false))
            {
                return (updated, RowChanges(paper, updated));
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The scores of paper {paperId} could not be written after {MaxAttempts} attempts (it kept changing).");
            }
        }
    }

    /// <summary>
    /// <see cref="WriteAsync"/> for many papers at once: those this process did not write last are read together
    /// (<see cref="IPaperStore.GetManyAsync"/>, of a corpus of about <paramref name="corpusSize"/> papers), the changed
    /// ones written a partition's at a time (<see cref="IPaperStore.TryReplaceManyAsync"/>); a paper whose write lost a
    /// race goes through <see cref="WriteAsync"/> on its own. Returns what that returns for each paper that changed,
    /// and the papers that lost their race and then failed on their own (the others are written all the same).
    /// </summary>
    public async Task<(IReadOnlyList<(Paper Paper, IReadOnlyList<AuthorRowChange> Changes)> Written, IReadOnlyList<(string PaperId, Exception Error)> Failed)> WriteManyAsync(
        IReadOnlyCollection<string> paperIds, Func<Paper, PaperScores> rescore, long corpusSize, int parallelism, CancellationToken cancellationToken)
    {
        var pending = new List<(Paper Before, Paper After)>();
        var toRead = new List<string>();
        void Rescore(Paper paper, bool kept)
        {
            var scores = rescore(paper);
            if (!Same(paper.Scores, scores))
            {
                pending.Add((paper, paper with { Scores = scores }));
            }
            else if (kept)
            {
                // "Nothing to write" is only sure of the stored version: read it.
                toRead.Add(paper.Id);
            }
        }

        foreach (var id in paperIds.Distinct(StringComparer.Ordinal))
        {
            if (papers.Recent(id) is { } kept)
            {
                Rescore(kept, kept: true);
            }
            else
            {
                toRead.Add(id);
            }
        }

        foreach (var paper in await papers.GetManyAsync(toRead, corpusSize, cancellationToken).ConfigureAwait(false))
        {
            Rescore(paper, kept: false);
        }

        var written = await papers.TryReplaceManyAsync([.. pending.Select(p => p.After)], cancellationToken).ConfigureAwait(false);
        var results = new System.Collections.Concurrent.ConcurrentBag<(Paper, IReadOnlyList<AuthorRowChange>)>();
        var lost = new List<string>();
        for (var i = 0; i < pending.Count; i++)
        {
            if (written[i])
            {
                results.Add((pending[i].After, RowChanges(pending[i].Before, pending[i].After)));
            }
            else
            {
                lost.Add(pending[i].After.Id);
            }
        }

        var failed = new System.Collections.Concurrent.ConcurrentBag<(string, Exception)>();
        await Parallel.ForEachAsync(lost, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                if (await WriteAsync(id, rescore, ct).ConfigureAwait(false) is { } again)
                {
                    results.Add(again);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed.Add((id, e));
            }
        }).ConfigureAwait(false);
        return ([.. results], [.. failed]);
    }

    /// <summary>
    /// The changes the authors' rows need after a paper's scores changed: only the rows that changed (a score that only
    /// lost its provisional flag changes that flag: the rankings rank by it from then on).
    /// </summary>
    private static IReadOnlyList<AuthorRowChange> RowChanges(Paper paper, Paper updated)
    {
        var before = AuthorRows.Changes(null, paper).Where(c => c.Upsert is not null).ToDictionary(c => c.AuthorId, c => c.Upsert!, StringComparer.Ordinal);
        return [.. AuthorRows.Changes(paper, updated).Where(c => c.Upsert is null || !before.TryGetValue(c.AuthorId, out var row) || !AuthorPaper.SameRow(row, c.Upsert))];
    }

    private const int MaxAttempts = 10;
}

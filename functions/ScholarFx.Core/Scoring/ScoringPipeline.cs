using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Scoring;

/// <summary>Which score of a paper a scorer produces.</summary>
public enum ScoreKind
{
    Novelty,
    AiScore,
}

/// <summary>
/// What a scorer sees: a batch of papers about to be stored, the run it belongs to, and the scores the scorers before
/// it computed for the batch (the AI score reads novelty's raw values).
/// </summary>
public sealed record ScoringBatch(IReadOnlyList<Paper> Papers, ScoringRun Run)
{
    /// <summary>Scores of this batch by kind, from the scorers that ran before.</summary>
    public IReadOnlyDictionary<ScoreKind, IReadOnlyDictionary<string, Score>> Earlier { get; init; } = new Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>>();
}

/// <summary>
/// One ingest of a file or one rescore: the unit over which paid calls (an Azure OpenAI assessment) are budgeted.
/// Thread-safe.
/// </summary>
public sealed class ScoringRun
{
    private int calls;

    /// <summary>
    /// Nothing of this run's papers may be kept (a draft's novelty check): assessors keep no answer in their caches.
    /// Scoring itself never stores a paper; the caller does, and a check does not.
    /// </summary>
    public bool Ephemeral { get; init; }

    /// <summary>Calls taken from the budget so far.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Takes one call from the budget; false once <paramref name="limit"/> calls were taken.</summary>
    public bool TryTakeCall(int limit)
    {
        while (true)
        {
            var taken = Volatile.Read(ref calls);
            if (taken >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref calls, taken + 1, taken) == taken)
            {
                return true;
            }
        }
    }
}

/// <summary>
/// A batch-level scorer (the seam the novelty and AI-score features plug into). It returns a score for
/// each paper it could judge; a paper it leaves out keeps its previous score or "not scored".
/// </summary>
public interface IBatchScorer
{
    ScoreKind Kind { get; }

    /// <summary>Model and version names shown in profiles' <c>scoring</c> block.</summary>
    string Model { get; }

    Task<IReadOnlyDictionary<string, Score>> ScoreAsync(ScoringBatch batch, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the registered scorers over a batch. With no scorer of a kind, papers keep <see cref="Score.NotScored"/>;
/// nothing here invents a value.
/// </summary>
public sealed class ScoringPipeline(IEnumerable<IBatchScorer> scorers, ILogger<ScoringPipeline> logger, Embeddings.EmbeddingStage? embeddings = null)
{
    private readonly IReadOnlyList<IBatchScorer> scorers = [.. scorers];

    /// <summary>Model of the scorer of a kind, or null when none is registered.</summary>
    public string? ModelOf(ScoreKind kind) => scorers.FirstOrDefault(s => s.Kind == kind)?.Model;

    /// <summary>The papers with the scores the scorers computed (a run of their own).</summary>
    public Task<IReadOnlyList<Paper>> ScoreAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken) =>
        ScoreAsync(papers, new ScoringRun(), cancellationToken);

    /// <summary>The papers with the scores the scorers computed, as part of <paramref name="run"/>.</summary>
    public async Task<IReadOnlyList<Paper>> ScoreAsync(IReadOnlyList<Paper> papers, ScoringRun run, CancellationToken cancellationToken)
    {
        if (papers.Count == 0 || scorers.Count == 0)
        {
            return papers;
        }

        if (embeddings is not null)
        {
            try
            {
                papers = await embeddings.AttachAsync(papers, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Without embeddings the scorers that need them report why; the papers are still stored.
                logger.LogError(e, "Embedding a batch of {PaperCount} papers with {Model} failed", papers.Count, embeddings.Model);
            }
        }

        var batch = new ScoringBatch(papers, run);
        var results = new Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>>();
        foreach (var scorer in scorers)
        {
            try
            {
                results[scorer.Kind] = await scorer.ScoreAsync(batch with { Earlier = new Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>>(results) }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failing scorer must not lose the papers: they are stored with a null score and a reason.
                logger.LogError(e, "Scorer {Scorer} failed on a batch of {PaperCount} papers", scorer.Model, papers.Count);
                results[scorer.Kind] = papers.ToDictionary(p => p.Id, _ => Score.Unavailable("scorer failed; retried at the next rescore", scorer.Model));
            }
        }

        return [.. papers.Select(p => p with
        {
            Scores = new PaperScores(
                Pick(results, ScoreKind.Novelty, p.Id) ?? p.Scores.Novelty,
                Pick(results, ScoreKind.AiScore, p.Id) ?? p.Scores.AiScore)
            {
                // Pioneer depends on later papers, which a batch does not know: settling computes it.
                Pioneer = p.Scores.Pioneer,
            },
        })];
    }

    private static Score? Pick(Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>> results, ScoreKind kind, string id) =>
        results.TryGetValue(kind, out var scores) && scores.TryGetValue(id, out var score) ? score : null;
}

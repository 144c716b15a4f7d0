using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Scoring;

/// <summary>Which score of a paper a scorer produces.</summary>
public enum ScoreKind
{
    Novelty,
    AiScore,
}

/// <summary>What a scorer sees: a batch of papers about to be stored, and read access to the stored corpus.</summary>
public sealed record ScoringBatch(IReadOnlyList<Paper> Papers, IScoringCorpus Corpus);

/// <summary>Read access to the stored corpus for scorers that compare a paper with others.</summary>
public interface IScoringCorpus
{
    /// <summary>A stored paper by canonical id, or null.</summary>
    Task<Paper?> GetPaperAsync(string paperId, CancellationToken cancellationToken);
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
public sealed class ScoringPipeline(IEnumerable<IBatchScorer> scorers, IScoringCorpus corpus, ILogger<ScoringPipeline> logger, Embeddings.EmbeddingStage? embeddings = null)
{
    private readonly IReadOnlyList<IBatchScorer> scorers = [.. scorers];

    /// <summary>Model of the scorer of a kind, or null when none is registered.</summary>
    public string? ModelOf(ScoreKind kind) => scorers.FirstOrDefault(s => s.Kind == kind)?.Model;

    /// <summary>The papers with the scores the scorers computed.</summary>
    public async Task<IReadOnlyList<Paper>> ScoreAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
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

        var batch = new ScoringBatch(papers, corpus);
        var results = new Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>>();
        foreach (var scorer in scorers)
        {
            try
            {
                results[scorer.Kind] = await scorer.ScoreAsync(batch, cancellationToken).ConfigureAwait(false);
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
                Pick(results, ScoreKind.AiScore, p.Id) ?? p.Scores.AiScore),
        })];
    }

    private static Score? Pick(Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>> results, ScoreKind kind, string id) =>
        results.TryGetValue(kind, out var scores) && scores.TryGetValue(id, out var score) ? score : null;
}

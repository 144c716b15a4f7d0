using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// The AI score (docs/architecture.md, Scores): the raw score is the assessor's rubric mean with significance scaled
/// by <see cref="PriorWork"/>; the published score is its historical cohort percentile among earlier papers assessed by
/// the same model + prompt version, one decimal; null with a reason when there is no assessment or nothing earlier to
/// rank against.
/// </summary>
public sealed class AiScorer(IAiAssessor assessor, AiCorpus corpus) : IBatchScorer
{
    /// <inheritdoc/>
    public ScoreKind Kind => ScoreKind.AiScore;

    /// <inheritdoc/>
    public string Model => assessor.Model;

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, Score>> ScoreAsync(ScoringBatch batch, CancellationToken cancellationToken)
    {
        var calibration = await corpus.GetAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = await AssessAsync(batch.Papers, batch.Run, cancellationToken).ConfigureAwait(false);
        var novelty = batch.Earlier.GetValueOrDefault(ScoreKind.Novelty);
        var factors = batch.Papers.ToDictionary(p => p.Id, p => PriorWork.Factor(novelty?.GetValueOrDefault(p.Id)?.RawValue()), StringComparer.Ordinal);
        double? RawOf(Paper p) => outcomes[p.Id].Assessment is { } a ? PriorWork.Raw(a.Rubric, factors[p.Id]) : null;

        // Every raw value first, so a batch ranks against its own earlier papers as well.
        foreach (var paper in batch.Papers)
        {
            calibration.Set(paper.Id, paper.Published, paper.PrimaryCategory, RawOf(paper));
        }

        return batch.Papers.ToDictionary(
            p => p.Id,
            p => ScoreOf(outcomes[p.Id], factors[p.Id], RawOf(p) is { } raw ? calibration.Percentile(raw, p.PrimaryCategory, p.Published) : (null, null)),
            StringComparer.Ordinal);
    }

    /// <summary>Assesses the papers (reusing an assessment the paper already holds for its current text), as many at once as the assessor allows.</summary>
    internal async Task<Dictionary<string, AssessmentOutcome>> AssessAsync(IReadOnlyList<Paper> papers, ScoringRun run, CancellationToken cancellationToken)
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, AssessmentOutcome>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = assessor.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(papers, parallel, async (paper, ct) =>
        {
            outcomes[paper.Id] = corpus.CurrentAssessment(paper.Scores.AiScore, paper.ContentHash) is { } held
                ? AssessmentOutcome.Of(held)
                : await assessor.AssessAsync(paper, run, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new Dictionary<string, AssessmentOutcome>(outcomes, StringComparer.Ordinal);
    }

    /// <summary>The published score of an assessment outcome given its prior-work factor and percentile.</summary>
    internal Score ScoreOf(AssessmentOutcome outcome, double factor, (double? Percentile, ReferenceSet? Reference) ranked)
    {
        var a = outcome.Assessment;
        var reason = a is null ? outcome.Reason : ranked.Percentile is null ? "no earlier assessed papers to rank against yet" : null;
        var details = JsonSerializer.SerializeToElement(
            new AiExplanation(a?.Summary, a?.Rationale, a?.Rubric, a is null ? null : Math.Round(PriorWork.Raw(a.Rubric, factor), 6), assessor.Model, assessor.PromptVersion, a?.ContentHash, ranked.Reference, reason)
            {
                SignificanceFactor = a is null ? null : Math.Round(factor, 6),
            },
            ScholarFxJson.Options);
        return new Score(reason is null ? ranked.Percentile : null, reason, assessor.Model, assessor.PromptVersion, details);
    }
}

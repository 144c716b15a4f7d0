using System.Text.Json;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.View;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// The AI score (docs/architecture.md, Scores): the raw score is the assessor's rubric mean with significance scaled
/// by <see cref="PriorWork"/>; the published score is its historical cohort percentile among earlier papers assessed by
/// the same model + prompt version, one decimal; null with a reason when there is no assessment or nothing earlier to
/// rank against. Assessing (possibly a paid call) happens before the corpus view is taken; at ingest the percentile is
/// provisional until settling ranks the whole corpus.
/// </summary>
public sealed class AiScorer(IAiAssessor assessor, CorpusView view) : IBatchScorer
{
    /// <inheritdoc/>
    public ScoreKind Kind => ScoreKind.AiScore;

    /// <inheritdoc/>
    public string Model => assessor.Model;

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, Score>> ScoreAsync(ScoringBatch batch, CancellationToken cancellationToken)
    {
        var outcomes = await AssessAsync(batch.Papers, batch.Run, cancellationToken).ConfigureAwait(false);
        var novelty = batch.Earlier.GetValueOrDefault(ScoreKind.Novelty);
        var factors = batch.Papers.ToDictionary(p => p.Id, p => PriorWork.Factor(novelty?.GetValueOrDefault(p.Id)?.RawValue()), StringComparer.Ordinal);
        // The batch ranks against the view and against its own earlier papers.
        var members = batch.Papers
            .Select(p => new CohortCandidate(p.Id, p.Published, p.PrimaryCategory, outcomes[p.Id].Assessment is { } a ? PriorWork.Raw(a.Rubric, factors[p.Id]) : null))
            .ToList();
        return await view.UseAsync(
            state => (IReadOnlyDictionary<string, Score>)members.ToDictionary(
                m => m.Id,
                m => ScoreOf(outcomes[m.Id], factors[m.Id], m.Raw is { } raw ? state.Ai.Percentile(raw, m.Category, m.Published, members) : (null, null), provisional: true),
                StringComparer.Ordinal),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Assesses the papers (reusing an assessment the paper already holds for its current text), as many at once as the assessor allows.</summary>
    internal async Task<Dictionary<string, AssessmentOutcome>> AssessAsync(IReadOnlyList<Paper> papers, ScoringRun run, CancellationToken cancellationToken)
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, AssessmentOutcome>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = assessor.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(papers, parallel, async (paper, ct) =>
        {
            outcomes[paper.Id] = CurrentAssessment(paper.Scores.AiScore, paper.ContentHash) is { } held
                ? AssessmentOutcome.Of(held)
                : await assessor.AssessAsync(paper, run, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new Dictionary<string, AssessmentOutcome>(outcomes, StringComparer.Ordinal);
    }

    /// <summary>The assessment a stored score holds when it is by the current model and prompt and of this text; else null.</summary>
    public AiAssessment? CurrentAssessment(Score score, string contentHash)
    {
        if (score.Model != assessor.Model || score.Version != assessor.PromptVersion)
        {
            return null;
        }

        return score.Explanation<AiExplanation>() is { Summary: { } summary, Rationale: { } rationale, Rubric: { } rubric, ContentHash: { } hash } explanation && hash == contentHash
            ? new AiAssessment(summary, rationale, rubric, explanation.Model, explanation.PromptVersion, hash)
            : null;
    }

    /// <summary>The score of an assessment outcome given its prior-work factor and percentile; provisional at ingest.</summary>
    internal Score ScoreOf(AssessmentOutcome outcome, double factor, (double? Percentile, ReferenceSet? Reference) ranked, bool provisional = false)
    {
        var a = outcome.Assessment;
        var reason = a is null ? outcome.Reason : ranked.Percentile is null ? "no earlier assessed papers to rank against yet" : null;
        var details = JsonSerializer.SerializeToElement(
            new AiExplanation(a?.Summary, a?.Rationale, a?.Rubric, a is null ? null : Math.Round(PriorWork.Raw(a.Rubric, factor), 6), assessor.Model, assessor.PromptVersion, a?.ContentHash, ranked.Reference, reason)
            {
                SignificanceFactor = a is null ? null : Math.Round(factor, 6),
                Provisional = provisional ? true : null,
            },
            ScholarFxJson.Options);
        return new Score(reason is null ? ranked.Percentile : null, reason, assessor.Model, assessor.PromptVersion, details);
    }
}

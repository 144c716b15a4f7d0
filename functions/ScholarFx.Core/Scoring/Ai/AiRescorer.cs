using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// The AI part of the nightly rescore: assesses papers without a current assessment (new model or prompt version,
/// changed text, an earlier failure or spent budget) — Azure OpenAI answers come from the cache when the text was
/// assessed before — then scales every paper's significance by its current novelty (<see cref="PriorWork"/>), re-ranks
/// every paper against its cohort and writes only the scores that changed.
/// </summary>
public sealed class AiRescorer(AiCorpus corpus, AiScorer scorer, IPaperStore papers, ScoreWriter writer, ILogger<AiRescorer> logger)
{
    private const int Chunk = 64;

    /// <summary>Runs the pass with the papers' current novelty raw values; returns the ids of papers whose AI score changed.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyDictionary<string, double?> noveltyRaw, CancellationToken cancellationToken)
    {
        var calibration = await corpus.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var members = corpus.Members;
        var run = new ScoringRun();
        var outcomes = new Dictionary<string, AssessmentOutcome>(StringComparer.Ordinal);

        // 1. Assess what lacks a current assessment.
        var pending = members.Values.Where(m => m.Assessment is null).Select(m => m.Id).ToList();
        foreach (var chunk in pending.Chunk(Chunk))
        {
            var loaded = await papers.GetPapersAsync(chunk, cancellationToken).ConfigureAwait(false);

            foreach (var (id, outcome) in await scorer.AssessAsync(loaded, run, cancellationToken).ConfigureAwait(false))
            {
                outcomes[id] = outcome;
            }

            logger.LogInformation("AI rescore: {Done} of {Pending} papers assessed ({Calls} calls so far)", outcomes.Count, pending.Count, run.Calls);
        }

        // 2. Every raw value with the current prior-work factor, then every percentile in date order; write what changed.
        double FactorOf(string id) => PriorWork.Factor(noveltyRaw.GetValueOrDefault(id));
        AssessmentOutcome? OutcomeOf(AiMember m) => outcomes.GetValueOrDefault(m.Id) ?? (m.Assessment is { } held ? AssessmentOutcome.Of(held) : null);
        foreach (var member in members.Values)
        {
            var assessment = OutcomeOf(member)?.Assessment;
            calibration.Set(member.Id, member.Published, member.Category, assessment is null ? null : PriorWork.Raw(assessment.Rubric, FactorOf(member.Id)));
        }

        var ranked = calibration.PercentileAll();
        var changed = new List<string>();
        foreach (var member in members.Values)
        {
            if (OutcomeOf(member) is not { } outcome)
            {
                continue; // deleted since the load
            }

            var score = scorer.ScoreOf(outcome, FactorOf(member.Id), ranked.TryGetValue(member.Id, out var r) ? r : (null, null));
            if (await writer.WriteIfChangedAsync(member.Id, ScoreKind.AiScore, score, member.Stored, cancellationToken).ConfigureAwait(false))
            {
                changed.Add(member.Id);
            }
        }

        logger.LogInformation("AI rescore with {Model}: {Assessed} papers assessed with {Calls} calls, {Changed} of {Total} scores changed",
            scorer.Model, outcomes.Count, run.Calls, changed.Count, members.Count);
        return changed;
    }
}

using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// The AI part of the nightly rescore: assesses papers without a current assessment (new model or prompt version,
/// changed text, an earlier failure or spent budget) — Azure OpenAI answers come from the cache when the text was
/// assessed before — then re-ranks every paper against its cohort and writes only the scores that changed.
/// </summary>
public sealed class AiRescorer(AiCorpus corpus, AiScorer scorer, IPaperStore papers, ScoreWriter writer, ILogger<AiRescorer> logger)
{
    private const int Chunk = 64;

    /// <summary>Runs the pass; returns the ids of papers whose AI score changed.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
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
                var m = members[id];
                calibration.Set(id, m.Published, m.Category, outcome.Assessment?.Raw);
            }

            logger.LogInformation("AI rescore: {Done} of {Pending} papers assessed ({Calls} calls so far)", outcomes.Count, pending.Count, run.Calls);
        }

        // 2. Every percentile, in date order; write what changed.
        var ranked = calibration.PercentileAll();
        var changed = new List<string>();
        foreach (var member in members.Values)
        {
            var outcome = outcomes.GetValueOrDefault(member.Id) ?? (member.Assessment is { } held ? AssessmentOutcome.Of(held) : null);
            if (outcome is null)
            {
                continue; // deleted since the load
            }

            var score = scorer.ScoreOf(outcome, ranked.TryGetValue(member.Id, out var r) ? r : (null, null));
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

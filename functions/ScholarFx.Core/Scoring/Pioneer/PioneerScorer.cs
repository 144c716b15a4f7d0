using System.Text.Json;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Core.Scoring.Pioneer;

/// <summary>
/// Pioneer (docs/architecture.md, Scores): how strongly the papers that came after a paper followed it — raw = ranked
/// followers (<see cref="PioneerRanking"/>), score = historical cohort percentile of raw (novelty's cohort rule), one
/// decimal; null with a reason while too few later papers exist. It grows as the corpus grows, so only settling computes
/// it, for every paper at once from the neighbourhoods novelty settled (ingest leaves the stored value as it is).
/// </summary>
public static class PioneerScorer
{
    /// <summary>Version of the pioneer definition; a change rewrites every paper's pioneer at the next settling.</summary>
    public const string Version = "pioneer/1";

    /// <summary>The definition named in every explanation.</summary>
    public const string Definition = "ranked followers: each later paper in the window credits its k nearest earlier papers with 1/rank (a version's share goes to the first paper of its chain); raw = credit / later papers in the window, ties by the mean similarity of the paper's k nearest earlier papers";

    /// <summary>Reason of a paper with no pioneer value because no paper before it has one.</summary>
    public const string NoCohortReason = "no earlier papers with a pioneer value to rank against yet";

    /// <summary>
    /// Every indexed paper's pioneer score, with the inputs it was built from: <paramref name="byDate"/> is the novelty
    /// index in date order with settled neighbourhoods.
    /// </summary>
    internal static Dictionary<string, (PioneerValue Value, (double? Percentile, ReferenceSet? Reference) Ranked)> RankAll(IReadOnlyList<CorpusEntry> byDate, PioneerOptions options, int k, CohortRule cohort)
    {
        var values = PioneerRanking.Compute(byDate, options, k);
        var ranked = HistoricalCohort.PercentileAll([.. byDate.Select(e => new CohortCandidate(e.Id, e.Published, e.Category, values[e.Id].Raw))], cohort);
        return values.ToDictionary(v => v.Key, v => (v.Value, ranked.GetValueOrDefault(v.Key)), StringComparer.Ordinal);
    }

    /// <summary>The score of a paper given its value and percentile.</summary>
    internal static Score ScoreOf(PioneerValue value, (double? Percentile, ReferenceSet? Reference) ranked, string model, PioneerOptions options, int k)
    {
        if (value.Raw is null)
        {
            var reason = $"fewer than {options.PioneerMinimumLater} later papers in its window ({options.PioneerLagDays} to {options.PioneerWindowDays} days after it) yet";
            return new Score(null, reason, model, Version, Explain(value, null, reason, options, k));
        }

        if (ranked.Percentile is null)
        {
            return new Score(null, NoCohortReason, model, Version, Explain(value, null, NoCohortReason, options, k));
        }

        return new Score(ranked.Percentile, null, model, Version, Explain(value, ranked.Reference, null, options, k));
    }

    private static JsonElement Explain(PioneerValue value, ReferenceSet? reference, string? reason, PioneerOptions options, int k) =>
        JsonSerializer.SerializeToElement(
            new PioneerExplanation(
                value.Raw is null ? [] : value.Followers,
                value.VersionOf,
                k,
                options.PioneerWindowDays,
                options.PioneerLagDays,
                options.PioneerMinimumLater,
                Definition,
                reference,
                reason,
                new PioneerCounts(value.LaterPapers, value.FollowerCount, value.Credit, value.Raw)),
            ScholarFxJson.Options);
}

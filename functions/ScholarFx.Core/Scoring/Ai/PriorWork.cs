namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// Significance is how important <em>and new</em> a contribution is, but an assessor that reads one abstract cannot
/// know that an earlier paper already made it: a reworded copy reads as well as its original, and a shuffled one can
/// read better. So the AI score scales the assessed significance by the paper's novelty raw value (its nearest earlier
/// paper's distance relative to the spacing of its neighbourhood): <c>factor = min(1, raw / 0.6)</c>. 0.6 is about the
/// 5th percentile of real papers (docs/validity.md), so nearly every real paper keeps its full significance and a
/// near-copy loses it. Without a novelty raw value (fewer than k earlier papers) the factor is 1.
/// </summary>
public static class PriorWork
{
    /// <summary>The novelty raw value from which significance counts in full.</summary>
    public const double FullCreditAt = 0.6;

    /// <summary>The factor on significance for a paper with this novelty raw value.</summary>
    public static double Factor(double? noveltyRaw) => noveltyRaw is { } r ? Math.Clamp(r / FullCreditAt, 0, 1) : 1;

    /// <summary>The AI score's raw value: the rubric mean with significance scaled by <paramref name="factor"/>.</summary>
    public static double Raw(Rubric rubric, double factor) => ((rubric.Significance * factor) + rubric.Evidence + rubric.Clarity) / 3.0;
}

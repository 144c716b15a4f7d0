using ScholarFx.Core.Scoring;

namespace ScholarFx.Core.Papers;

/// <summary>The scores of one paper.</summary>
public sealed record PaperScores(Score Novelty, Score AiScore)
{
    /// <summary>Neither score computed.</summary>
    public static PaperScores NotScored { get; } = new(Score.NotScored, Score.NotScored);
}

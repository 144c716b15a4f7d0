using ScholarFx.Core.Scoring;

namespace ScholarFx.Core.Papers;

/// <summary>The scores of one paper.</summary>
public sealed record PaperScores(Score Novelty, Score AiScore)
{
    /// <summary>How strongly later papers followed the paper: computed by settling only, kept as stored by every other write.</summary>
    public Score Pioneer { get; init; } = Score.NotScored;

    /// <summary>Neither score computed.</summary>
    public static PaperScores NotScored { get; } = new(Score.NotScored, Score.NotScored);
}

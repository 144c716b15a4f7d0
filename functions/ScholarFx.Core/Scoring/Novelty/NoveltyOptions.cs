namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>Settings of the novelty score (section <c>Scoring</c>).</summary>
public sealed class NoveltyOptions
{
    /// <summary>k: strictly earlier neighbours averaged (<c>Scoring__NoveltyNeighbours</c>).</summary>
    public int NoveltyNeighbours { get; set; } = 10;

    /// <summary>Smallest reference set before the cohort widens from the category to all categories, then to all earlier papers.</summary>
    public int MinimumCohort { get; set; } = 200;

    /// <summary>The historical window of the cohort, in days before the paper.</summary>
    public int CohortDays { get; set; } = 365;

    /// <summary>Cosine similarity at or above which a paper sharing an author is the same work, not a neighbour.</summary>
    public double SameWorkSimilarity { get; set; } = 0.98;

    /// <summary>The cohort rule of the historical percentile (shared by novelty and the AI score).</summary>
    public CohortRule Cohort => new(CohortDays, MinimumCohort);
}

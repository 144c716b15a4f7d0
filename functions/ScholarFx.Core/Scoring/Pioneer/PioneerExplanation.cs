using ScholarFx.Core.Scoring;

namespace ScholarFx.Core.Scoring.Pioneer;

/// <summary>
/// The stored explanation of a paper's pioneer score: the later papers that followed it most closely, whose version it
/// is (when its followers are credited to an earlier paper), the window and the definition, the reference set of the
/// percentile, why there is no value, and the counts behind the raw value.
/// </summary>
/// <param name="Followers">The later papers that had it (or a version of it) nearest, up to five: lowest rank first, then most similar.</param>
/// <param name="VersionOf">The first paper of the chain this paper is a version of (its followers are credited there); null for none.</param>
/// <param name="K">How many nearest earlier papers each later paper credits.</param>
/// <param name="WindowDays">Later papers count up to this many days after the paper.</param>
/// <param name="LagDays">Later papers count from this many days after the paper.</param>
/// <param name="MinimumLater">Later papers the window must hold before there is a value.</param>
/// <param name="Definition">The definition that produced the raw value.</param>
/// <param name="Reference">The cohort the percentile was taken in.</param>
/// <param name="Reason">Why there is no value, when there is none.</param>
/// <param name="Counts">The numbers behind the raw value, as of the settling that last changed the score.</param>
public sealed record PioneerExplanation(
    IReadOnlyList<Follower> Followers,
    string? VersionOf,
    int K,
    int WindowDays,
    int LagDays,
    int MinimumLater,
    string Definition,
    ReferenceSet? Reference,
    string? Reason,
    PioneerCounts Counts);

/// <summary>A later paper that followed a paper: it had the paper (or a version of it) at <paramref name="Rank"/> among its nearest earlier papers.</summary>
/// <param name="Id">The later paper.</param>
/// <param name="Published">Its date (ISO).</param>
/// <param name="Rank">1 when the paper was its nearest earlier paper; its credit to the paper is 1/rank.</param>
/// <param name="Similarity">Cosine similarity of the two papers.</param>
public sealed record Follower(string Id, string Published, int Rank, double Similarity);

/// <summary>
/// The numbers behind a pioneer raw value. They grow with every later paper, so the fingerprint that decides whether a
/// stored score changed leaves them out (<see cref="ScorePrint"/>): they are as of the last change of the score.
/// </summary>
/// <param name="LaterPapers">Later papers in the window.</param>
/// <param name="Followers">Later papers in the window that had this paper (or a version of it) among their k nearest earlier papers.</param>
/// <param name="Credit">Sum of 1/rank over those followers.</param>
/// <param name="Raw">Credit / later papers, plus the tie-break; null without a value.</param>
public sealed record PioneerCounts(int LaterPapers, int Followers, double Credit, double? Raw);

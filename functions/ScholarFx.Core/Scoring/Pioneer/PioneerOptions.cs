using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Scoring.Pioneer;

/// <summary>
/// Settings of the pioneer score (section <c>Scoring</c>, beside novelty's), validated at start. The defaults are the
/// definition the validity harness adopted on papers with citations (docs/validity.md, Pioneer candidates).
/// </summary>
public sealed class PioneerOptions
{
    /// <summary>Days after a paper within which later papers count (<c>Scoring__PioneerWindowDays</c>).</summary>
    [Range(30, 36_500)]
    public int PioneerWindowDays { get; set; } = 730;

    /// <summary>
    /// Days after a paper before later papers count (<c>Scoring__PioneerLagDays</c>): the rest of its own batch (an
    /// import, a conference's week) is concurrent work, not following it. At least 1: a paper of the same day never counts.
    /// </summary>
    [Range(1, 3_650)]
    public int PioneerLagDays { get; set; } = 60;

    /// <summary>
    /// Later papers a paper's window must hold before it has a value (<c>Scoring__PioneerMinimumLater</c>): with fewer,
    /// too little has come after it to say who followed it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PioneerMinimumLater { get; set; } = 200;

    /// <summary>
    /// Similarity of a paper's nearest earlier paper at or above which it is a version of that paper
    /// (<c>Scoring__PioneerVersionSimilarity</c>): the credit of its followers goes to the first paper of the chain.
    /// </summary>
    [Range(0.5, 1.0)]
    public double PioneerVersionSimilarity { get; set; } = 0.9;
}

using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>Rubric sub-scores of an AI assessment, each 0–100; their mean is the raw AI score.</summary>
public sealed record Rubric(double Significance, double Evidence, double Clarity)
{
    /// <summary>The raw score: the mean of the three sub-scores.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Mean => (Significance + Evidence + Clarity) / 3.0;
}

/// <summary>An assessor's judgement of one paper's title and abstract.</summary>
/// <param name="Summary">One sentence saying what the paper contributes.</param>
/// <param name="Rationale">Why the rubric scores are what they are.</param>
/// <param name="Rubric">The sub-scores; their mean is the raw score.</param>
/// <param name="Model">The assessor's model.</param>
/// <param name="PromptVersion">The prompt or rule version.</param>
/// <param name="ContentHash">The paper text the assessment is of (<see cref="Paper.ContentHash"/>).</param>
public sealed record AiAssessment(string Summary, string Rationale, Rubric Rubric, string Model, string PromptVersion, string ContentHash)
{
    /// <summary>The raw score (mean of the rubric).</summary>
    public double Raw => Rubric.Mean;
}

/// <summary>An assessment, or why there is none.</summary>
public sealed record AssessmentOutcome(AiAssessment? Assessment, string? Reason)
{
    public static AssessmentOutcome Of(AiAssessment assessment) => new(assessment, null);

    public static AssessmentOutcome Failed(string reason) => new(null, reason);
}

/// <summary>
/// Judges papers from title and abstract (docs/architecture.md, Scores — AI score). One implementation per model: the local
/// deterministic assessor, or an Azure OpenAI chat deployment. Never throws for a bad answer: it returns the reason.
/// </summary>
public interface IAiAssessor
{
    /// <summary>Model name stored with every assessment; calibrations are kept per model + prompt version.</summary>
    string Model { get; }

    /// <summary>Version of the rubric/prompt; a change re-assesses every paper.</summary>
    string PromptVersion { get; }

    /// <summary>How many papers may be assessed at once.</summary>
    int Concurrency { get; }

    /// <summary>Assesses one paper; <paramref name="run"/> carries the run's call budget.</summary>
    Task<AssessmentOutcome> AssessAsync(Paper paper, ScoringRun run, CancellationToken cancellationToken);
}

/// <summary>
/// The <c>details</c> of a stored AI score: the assessment, its raw value (the rubric mean with significance scaled by
/// <see cref="SignificanceFactor"/>, see <see cref="PriorWork"/>) and the reference set it was ranked in.
/// </summary>
public sealed record AiExplanation(
    string? Summary,
    string? Rationale,
    Rubric? Rubric,
    double? Raw,
    string Model,
    string PromptVersion,
    string? ContentHash,
    ReferenceSet? Reference,
    string? Reason)
{
    /// <summary>The factor significance was scaled by for nearness to earlier work (1 = none).</summary>
    public double? SignificanceFactor { get; init; }

    /// <summary>True while the score was given at ingest and waits to be settled against the whole corpus.</summary>
    public bool? Provisional { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>Settings of the AI score (section <c>AiScore</c>); they matter for the Azure OpenAI assessor.</summary>
public sealed class AiOptions
{
    /// <summary>Azure OpenAI calls allowed per run (one ingested file, or one rescore); papers past it keep a null score with a reason.</summary>
    [Range(0, int.MaxValue)]
    public int MaxCallsPerRun { get; set; } = 2000;

    /// <summary>Assessments in flight at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrentCalls { get; set; } = 4;

    /// <summary>Time one request may take before it is abandoned (seconds).</summary>
    [Range(1, 3600)]
    public double CallTimeoutSeconds { get; set; } = 60;

    /// <summary>Total time one paper's assessment may spend across retries (seconds); 429/503 Retry-After waits count.</summary>
    [Range(0, 86_400)]
    public double MaxRetrySeconds { get; set; } = 120;

    /// <summary>Attempts per paper for a 429, 5xx or timeout before it keeps a null score until the next rescore.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;
}

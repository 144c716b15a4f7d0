using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>A stored paper as the AI score's calibration knows it.</summary>
public sealed record AiMember(string Id, DateOnly Published, string? Category, string ContentHash, Score Stored, AiAssessment? Assessment);

/// <summary>
/// The process's AI-score calibration: the raw scores of the current assessor's model + prompt version only (local
/// and LLM scores, or two prompt versions, are never pooled), loaded from the Papers table on first use and kept
/// current by ingest. Like the novelty index, another instance's papers are seen at the next load.
/// </summary>
public sealed class AiCorpus(IPaperStore papers, IAiAssessor assessor, IOptions<NoveltyOptions> options, ILogger<AiCorpus> logger)
{
    private readonly Reloadable<CalibrationSet> calibration = new();

    /// <summary>Every stored paper at the last load, with its stored AI score and current assessment (if any).</summary>
    public IReadOnlyDictionary<string, AiMember> Members { get; private set; } = new Dictionary<string, AiMember>();

    /// <summary>The calibration, loading it if needed.</summary>
    public Task<CalibrationSet> GetAsync(CancellationToken cancellationToken) => calibration.GetAsync(LoadAsync, cancellationToken);

    /// <summary>Loads the calibration again from storage.</summary>
    public Task<CalibrationSet> ReloadAsync(CancellationToken cancellationToken) => calibration.ReloadAsync(LoadAsync, cancellationToken);

    /// <summary>The assessment a stored score holds when it is by the current model and prompt and of this text; else null.</summary>
    public AiAssessment? CurrentAssessment(Score score, string contentHash)
    {
        if (score.Model != assessor.Model || score.Version != assessor.PromptVersion || score.Details is not { ValueKind: JsonValueKind.Object } details)
        {
            return null;
        }

        var explanation = details.Deserialize<AiExplanation>(ScholarFxJson.Options);
        return explanation is { Summary: { } summary, Rationale: { } rationale, Rubric: { } rubric, ContentHash: { } hash } && hash == contentHash
            ? new AiAssessment(summary, rationale, rubric, explanation.Model, explanation.PromptVersion, hash)
            : null;
    }

    private async Task<CalibrationSet> LoadAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var set = new CalibrationSet(options.Value.Cohort);
        var members = new Dictionary<string, AiMember>(StringComparer.Ordinal);
        await foreach (var paper in papers.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            var assessment = CurrentAssessment(paper.Scores.AiScore, paper.ContentHash);
            members[paper.Id] = new AiMember(paper.Id, paper.Published, paper.PrimaryCategory, paper.ContentHash, paper.Scores.AiScore, assessment);
            // The raw value as scored (significance scaled for prior work), so new papers rank against what was published.
            set.Set(paper.Id, paper.Published, paper.PrimaryCategory, assessment is null ? null : paper.Scores.AiScore.RawValue() ?? assessment.Raw);
        }

        Members = members;
        logger.LogInformation("AI calibration loaded for {Model} {PromptVersion}: {Assessed} of {Count} papers assessed, in {Elapsed}",
            assessor.Model, assessor.PromptVersion, set.Count, members.Count, started.Elapsed);
        return set;
    }
}

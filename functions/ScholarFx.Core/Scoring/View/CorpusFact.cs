using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Core.Scoring.View;

/// <summary>
/// What the shared corpus view records of one stored paper, projected from it after every write that changes it
/// (ingest, settling, a rescore): the fields scoring compares papers by, the vector, the settled novelty state
/// (neighbours, raw, spacing) and the AI assessment's rubric, and fingerprints of the three stored scores.
/// </summary>
public sealed record CorpusFact
{
    public required string Id { get; init; }
    public required DateOnly Published { get; init; }
    public string? Category { get; init; }

    /// <summary>Keys of the authors' ids (<see cref="WorkKeys"/>): the same-work test needs only equality.</summary>
    public required IReadOnlyList<ulong> AuthorKeys { get; init; }

    /// <summary>Keys of the paper's identifiers, its id among them.</summary>
    public required IReadOnlyList<ulong> AliasKeys { get; init; }

    /// <summary>The embedding model of <see cref="Vector"/>; null when the paper has no embedding.</summary>
    public string? EmbeddingModel { get; init; }
    public float[]? Vector { get; init; }

    /// <summary>Whether the stored novelty was settled (computed from the whole corpus), not provisional.</summary>
    public bool NoveltySettled { get; init; }

    /// <summary>
    /// For a settled novelty written by settling: the log position of the view it was computed from. A change the log
    /// recorded after it is not covered by it (see <see cref="CorpusViewState.Apply"/>). Start for other writers.
    /// </summary>
    public Storage.LogPosition AsOf { get; init; }
    public double? NoveltyRaw { get; init; }
    public double? Spacing { get; init; }
    public IReadOnlyList<Neighbour> Neighbours { get; init; } = [];
    public ulong NoveltyPrint { get; init; }

    /// <summary>Fingerprint of the stored pioneer score (<see cref="ScorePrint"/>; 0 in frames written before it).</summary>
    public ulong PioneerPrint { get; init; }

    /// <summary>The assessor (model + prompt version) of <see cref="Rubric"/>; null when the paper has no assessment.</summary>
    public string? AiVersion { get; init; }
    public Rubric? Rubric { get; init; }
    public double? AiRaw { get; init; }
    public ulong AiPrint { get; init; }

    /// <summary>The paper's citation count (null when no source gave one): the cohorts of citation percentiles.</summary>
    public int? Citations { get; init; }
    public bool Retracted { get; init; }

    /// <summary>The fact of a stored paper.</summary>
    public static CorpusFact From(Paper paper, Storage.LogPosition asOf = default)
    {
        var novelty = paper.Scores.Novelty.Explanation<NoveltyExplanation>();
        var ai = paper.Scores.AiScore.Explanation<AiExplanation>();
        return new CorpusFact
        {
            Id = paper.Id,
            Published = paper.Published,
            Category = paper.PrimaryCategory,
            AuthorKeys = WorkKeys.Of(paper.Authors.Select(a => a.NameKey)),
            AliasKeys = WorkKeys.Of(paper.Aliases.Append(paper.Id)),
            EmbeddingModel = paper.Embedding is { } e && e.ContentHash == paper.ContentHash ? e.Model : null,
            Vector = paper.Embedding is { } v && v.ContentHash == paper.ContentHash ? v.Vector : null,
            // Settled only for the paper's current vector: a score of another model (before a re-embedding) is not.
            NoveltySettled = paper.Scores.Novelty.Version == NoveltyScorer.Version && novelty is { Provisional: not true } &&
                paper.Embedding is { } current && paper.Scores.Novelty.Model == current.Model,
            AsOf = asOf,
            NoveltyRaw = novelty?.Raw,
            Spacing = novelty?.NeighbourhoodDistance,
            Neighbours = novelty?.Neighbours ?? [],
            NoveltyPrint = ScorePrint.Of(paper.Scores.Novelty),
            PioneerPrint = ScorePrint.Of(paper.Scores.Pioneer),
            AiVersion = ai is { Rubric: not null, ContentHash: { } hash } && hash == paper.ContentHash ? AiVersionOf(paper.Scores.AiScore.Model, paper.Scores.AiScore.Version) : null,
            Rubric = ai?.Rubric,
            AiRaw = ai?.Raw,
            AiPrint = ScorePrint.Of(paper.Scores.AiScore),
            Citations = paper.Citations,
            Retracted = paper.Retracted,
        };
    }

    /// <summary>The key an assessment's rubric is valid for: its model and prompt version.</summary>
    public static string AiVersionOf(string? model, string? promptVersion) => model + "|" + promptVersion;
}

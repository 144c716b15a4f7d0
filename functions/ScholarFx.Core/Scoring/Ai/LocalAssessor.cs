using System.Globalization;
using System.Numerics.Tensors;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// The default AI assessor: deterministic, no network. It is a different model from the LLM rubric, and the two are
/// never calibrated together. Each sub-score combines explicit features of the abstract (<see cref="EvidenceFeatures"/>)
/// with where the paper's embedding sits between short anchor statements of strong and weak work, embedded once per
/// process with the same embedding model as the papers. Kinds of evidence count once each (with a small bonus for a
/// second instance), not per occurrence, so a longer abstract or one with more numbers is not rated higher for that
/// alone; clarity reads structure and cohesion, not sentence length, so dropping words or shuffling sentences cannot
/// raise it (rules local-rubric/3, measured in docs/validity.md):
/// <list type="bullet">
/// <item>significance: 50 + 200 × (mean similarity to the "significant" anchors − mean similarity to the "incremental"
/// anchors), +5 for a stated contribution, +3 when it names two or more datasets, benchmarks or methods;</item>
/// <item>evidence: 22 for a quantitative result (+6 for a second), 12 for a named dataset, benchmark or method (+4 for a
/// second), 8 for a dataset or benchmark mention, 14 for a comparison (+4 for a second), 8 for released code or data,
/// 12 for formal results, plus 10 + 100 × (similarity to the "well supported" anchor − similarity to the "unsupported"
/// anchor), kept in 0–20;</item>
/// <item>clarity: 30, +15 for a stated contribution, +10 when it comes before the results, + up to 15 for content words
/// shared by adjacent sentences (200 × their mean Jaccard overlap), + up to 30 for content words shared by the two halves
/// (250 × their overlap: an abstract whose halves talk about different things does not hold together), − 3 per hedge (at most 12), − 60 × (share of words of 13 letters or more − 0.08) when
/// positive, − 1 per word under 40, − 5 per sentence over 60 words (at most 15).</item>
/// </list>
/// Every sub-score is clamped to 0–100 and rounded to two decimals; the raw score is their mean. Text that tells a
/// reader what score to give is just text here: it can move the score only through the features above.
/// </summary>
public sealed class LocalAssessor(ITextEmbedder embedder) : IAiAssessor
{
    /// <summary>Version of the rules and anchors; a change re-assesses every paper.</summary>
    public const string RulesVersion = "local-rubric/3";

    private static readonly string[] Significant =
    [
        "We introduce a fundamentally new approach that solves a long-standing open problem and opens a new line of research.",
        "We present the first method to achieve this capability, substantially advancing the state of the art across many tasks.",
        "Our general framework unifies previously separate approaches and changes how the field addresses the problem.",
    ];

    private static readonly string[] Incremental =
    [
        "We apply an existing method to a new dataset with minor modifications and report small improvements.",
        "This paper describes a small variation of a known technique evaluated on a single case.",
        "We replicate prior work and report results consistent with previous findings.",
    ];

    private const string WellSupported =
        "Extensive experiments on several public benchmarks with comparisons against strong baselines show significant improvements, and we release our code and data.";

    private const string Unsupported =
        "We describe an idea and discuss its possible benefits without experiments, data or formal analysis.";

    private readonly Reloadable<Anchors> anchors = new();

    /// <inheritdoc/>
    public string Model => "scholarfx-local/" + embedder.Model;

    /// <inheritdoc/>
    public string PromptVersion => RulesVersion;

    /// <inheritdoc/>
    public int Concurrency => 1;

    /// <inheritdoc/>
    public async Task<AssessmentOutcome> AssessAsync(Paper paper, ScoringRun run, CancellationToken cancellationToken)
    {
        if (paper.Embedding is not { } embedding || embedding.Model != embedder.Model || embedding.ContentHash != paper.ContentHash)
        {
            return AssessmentOutcome.Failed("no current embedding of the paper (the embedding model failed); retried at the next rescore");
        }

        // Embedded once per process; a failed attempt (the embedder was down) is tried again next time.
        var anchor = await anchors.GetAsync(_ => EmbedAnchorsAsync(embedder), CancellationToken.None).ConfigureAwait(false);
        return AssessmentOutcome.Of(Assess(paper, embedding.Vector, anchor));
    }

    private AiAssessment Assess(Paper paper, float[] vector, Anchors anchor)
    {
        var f = EvidenceFeatures.Of(paper.Abstract);
        var significanceLean = anchor.Significant.Average(a => TensorPrimitives.Dot(vector, a)) - anchor.Incremental.Average(a => TensorPrimitives.Dot(vector, a));
        var supportLean = TensorPrimitives.Dot(vector, anchor.WellSupported) - TensorPrimitives.Dot(vector, anchor.Unsupported);

        var significance = 50 + (200 * significanceLean) + (f.ContributionSentence is null ? 0 : 5) + (f.NamedResources >= 2 ? 3 : 0);
        var evidence = Kind(f.QuantitativeResults, 22, 6) + Kind(f.NamedResources, 12, 4) + Kind(f.DatasetMentions, 8, 0) +
            Kind(f.Comparisons, 14, 4) + (f.ReleasesArtifacts ? 8 : 0) + (f.FormalResults ? 12 : 0) + Math.Clamp(10 + (100 * supportLean), 0, 20);
        var clarity = 30
            + (f.ContributionSentence is null ? 0 : 15)
            + (f.ContributionBeforeResults ? 10 : 0)
            + Math.Min(15, 200 * f.AdjacentCohesion)
            + Math.Min(30, 250 * f.HalvesCohesion)
            - Math.Min(12, 3 * f.Hedges)
            - (60 * Math.Max(0, f.LongWordShare - 0.08))
            - Math.Max(0, 40 - f.Words)
            - Math.Min(15, 5 * f.RunOnSentences);

        var rubric = new Rubric(Round(significance), Round(evidence), Round(clarity));
        return new AiAssessment(Summarise(paper, f), Rationale(rubric, f, significanceLean), rubric, Model, PromptVersion, paper.ContentHash);
    }

    /// <summary>Points for a kind of evidence: <paramref name="first"/> when present, <paramref name="second"/> more for a second instance.</summary>
    private static double Kind(int count, double first, double second) => (count >= 1 ? first : 0) + (count >= 2 ? second : 0);

    // Two decimals: one would make ties common (the raw mean moves in steps of 1/30).
    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 100), 2, MidpointRounding.AwayFromZero);

    /// <summary>The sentence that states the contribution (or the first sentence), at most 300 characters.</summary>
    private static string Summarise(Paper paper, EvidenceFeatures f)
    {
        var sentence = f.ContributionSentence ?? EvidenceFeatures.SentencesOf(paper.Abstract).FirstOrDefault() ?? paper.Title;
        sentence = string.Join(' ', sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (sentence.Length <= 300)
        {
            return sentence;
        }

        var cut = sentence.LastIndexOf(' ', 299);
        return sentence[..(cut > 0 ? cut : 299)] + "…";
    }

    private static string Rationale(Rubric rubric, EvidenceFeatures f, double significanceLean)
    {
        var evidence = new List<string>
        {
            Count(f.QuantitativeResults, "quantitative result", "quantitative results"),
            Count(f.NamedResources, "named dataset, benchmark or method", "named datasets, benchmarks or methods"),
            Count(f.Comparisons, "comparison", "comparisons"),
        };
        if (f.ReleasesArtifacts)
        {
            evidence.Add("released code or data");
        }

        if (f.FormalResults)
        {
            evidence.Add("formal results");
        }

        var lean = significanceLean >= 0 ? "closer to the significant-contribution anchors" : "closer to the incremental-work anchors";
        var clarity = f.ContributionSentence is null ? "no explicit contribution statement"
            : f.ContributionBeforeResults ? "states its contribution before its results" : "states its contribution after its results";
        clarity += string.Create(CultureInfo.InvariantCulture, $", {f.Sentences} sentences, adjacent sentences share {f.AdjacentCohesion:0%} of their content words, the two halves {f.HalvesCohesion:0%}");
        if (f.Hedges > 0)
        {
            clarity += ", " + Count(f.Hedges, "hedge", "hedges");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Local rubric (not an LLM). Evidence {rubric.Evidence:0.0#}: {string.Join(", ", evidence)}. Significance {rubric.Significance:0.0#}: the text reads {lean} ({significanceLean:+0.000;-0.000}). Clarity {rubric.Clarity:0.0#}: {clarity}.");
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";

    private static async Task<Anchors> EmbedAnchorsAsync(ITextEmbedder embedder)
    {
        var vectors = await embedder.EmbedAsync([.. Significant, .. Incremental, WellSupported, Unsupported], CancellationToken.None).ConfigureAwait(false);
        return new Anchors(vectors[..Significant.Length], vectors[Significant.Length..(Significant.Length + Incremental.Length)], vectors[^2], vectors[^1]);
    }

    private sealed record Anchors(float[][] Significant, float[][] Incremental, float[] WellSupported, float[] Unsupported);
}

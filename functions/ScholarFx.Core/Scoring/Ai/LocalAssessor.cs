using System.Globalization;
using System.Numerics.Tensors;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// The default AI assessor: deterministic, no network. It is a different model from the LLM rubric, and the two are
/// never calibrated together. Each sub-score combines explicit evidence features of the abstract
/// (<see cref="EvidenceFeatures"/>) with where the paper's embedding sits between short anchor statements of strong and
/// weak work, embedded once per process with the same embedding model as the papers:
/// <list type="bullet">
/// <item>significance: 50 + 250 × (mean similarity to the "significant" anchors − mean similarity to the "incremental"
/// anchors), +5 for a stated contribution, +3 when it names two or more datasets, benchmarks or methods;</item>
/// <item>evidence: 10 per quantitative result (up to 4), 5 per named resource (up to 4), 4 per dataset/benchmark
/// mention (up to 3), 7 per comparison (up to 2), 8 for released code or data, 10 for formal results, plus
/// 20 + 100 × (similarity to the "well supported" anchor − similarity to the "unsupported" anchor), kept in 0–40;</item>
/// <item>clarity: 95 − penalties (sentences far from ~20 words, under 80 or over 300 words, no stated contribution,
/// hedging, a high share of very long words) + up to 5 for sentence length near 20 words.</item>
/// </list>
/// Every sub-score is clamped to 0–100 and rounded to two decimals; the raw score is their mean. Text that tells a
/// reader what score to give is just text here: it can move the score only through the features above.
/// </summary>
public sealed class LocalAssessor(ITextEmbedder embedder) : IAiAssessor
{
    /// <summary>Version of the rules and anchors; a change re-assesses every paper.</summary>
    public const string RulesVersion = "local-rubric/2";

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

        var significance = 50 + (250 * significanceLean) + (f.ContributionSentence is null ? 0 : 5) + (f.NamedResources >= 2 ? 3 : 0);
        var evidence = (10 * Math.Min(f.QuantitativeResults, 4)) + (5 * Math.Min(f.NamedResources, 4)) + (4 * Math.Min(f.DatasetMentions, 3)) +
            (7 * Math.Min(f.Comparisons, 2)) + (f.ReleasesArtifacts ? 8 : 0) + (f.FormalResults ? 10 : 0) + Math.Clamp(20 + (100 * supportLean), 0, 40);
        var lengthOff = Math.Abs(f.WordsPerSentence - 20);
        var clarity = 95 + (5 * Math.Max(0, 1 - (lengthOff / 20)))
            - (1.5 * Math.Max(0, lengthOff - 6))
            - (f.Words < 80 ? 0.4 * (80 - f.Words) : 0)
            - (f.Words > 300 ? 0.1 * (f.Words - 300) : 0)
            - (f.ContributionSentence is null ? 15 : 0)
            - Math.Min(15, 3 * f.Hedges)
            - (60 * Math.Max(0, f.LongWordShare - 0.08));

        var rubric = new Rubric(Round(significance), Round(evidence), Round(clarity));
        return new AiAssessment(Summarise(paper, f), Rationale(rubric, f, significanceLean), rubric, Model, PromptVersion, paper.ContentHash);
    }

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
        var clarity = string.Create(CultureInfo.InvariantCulture, $"{f.Sentences} sentences of {f.WordsPerSentence:0.#} words on average");
        clarity += f.ContributionSentence is null ? ", no explicit contribution statement" : ", states its contribution";
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

using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;

namespace ScholarFx.Validity;

/// <summary>How a sub-score or the raw AI score relates to properties it should or should not reward (Spearman ρ).</summary>
/// <param name="Score">The raw score or a sub-score.</param>
/// <param name="Novelty">ρ with the novelty percentile.</param>
/// <param name="Words">ρ with the abstract's length in words.</param>
/// <param name="Digits">ρ with the number of digits in the abstract.</param>
/// <param name="DigitsAmongResults">ρ with digits among papers that report two or more quantitative results (full credit for results), where more numbers should add nothing.</param>
public sealed record AiRelation(string Score, double Novelty, double Words, double Digits, double DigitsAmongResults);

/// <summary>How one kind of probe's assessment compares with its original's (for a join, the better of its two originals).</summary>
public sealed record AiProbeResult(int Count, double HigherShare, double MedianDifference, double MaxDifference, double SignificanceHigher, double EvidenceHigher, double ClarityHigher);

/// <summary>What the AI-score part of a validity run measured.</summary>
public sealed record AiReport(string Model, int Papers, IReadOnlyList<AiRelation> Relations, IReadOnlyDictionary<ProbeKind, AiProbeResult> Probes);

/// <summary>
/// The AI score on the same footing as novelty: the assessor's raw score and sub-scores against the paper's novelty
/// and against simple properties it should not reward (abstract length in words, number of digits), and the
/// near-copy probes against their originals.
/// </summary>
public static class AiEvaluation
{
    /// <summary>Assesses the evaluated papers and the probes' and compares.</summary>
    public static async Task<AiReport> RunAsync(
        IAiAssessor assessor,
        string embeddingModel,
        IReadOnlyList<(EvalPaper Paper, float[] Vector, double? Novelty, double? NoveltyRaw)> evaluated,
        IReadOnlyList<(Probe Probe, float[] Vector, double? NoveltyRaw)> probes,
        Func<string, float[]> vectorOf,
        Func<string, double?> noveltyRawOf)
    {
        var run = new ScoringRun();

        // What the AI scorer publishes from: the assessment, with significance scaled for prior work (PriorWork).
        async Task<AiAssessment?> Assess(EvalPaper paper, float[] vector, double? noveltyRaw)
        {
            var a = (await assessor.AssessAsync(ToPaper(paper, vector, embeddingModel), run, CancellationToken.None).ConfigureAwait(false)).Assessment;
            return a is null ? null : a with { Rubric = a.Rubric with { Significance = a.Rubric.Significance * PriorWork.Factor(noveltyRaw) } };
        }

        var rows = new List<(AiAssessment A, EvalPaper P, double? Novelty)>();
        foreach (var (paper, vector, novelty, noveltyRaw) in evaluated)
        {
            if (await Assess(paper, vector, noveltyRaw).ConfigureAwait(false) is { } a)
            {
                rows.Add((a, paper, novelty));
            }
        }

        var withResults = rows.Where(r => EvidenceFeatures.Of(r.P.Abstract).QuantitativeResults >= 2).ToList();
        AiRelation Relation(string name, Func<AiAssessment, double> score)
        {
            var withNovelty = rows.Where(r => r.Novelty is not null).ToList();
            return new AiRelation(
                name,
                Statistics.Spearman([.. withNovelty.Select(r => score(r.A))], [.. withNovelty.Select(r => r.Novelty!.Value)]),
                Statistics.Spearman([.. rows.Select(r => score(r.A))], [.. rows.Select(r => (double)EvidenceFeatures.Of(r.P.Abstract).Words)]),
                Statistics.Spearman([.. rows.Select(r => score(r.A))], [.. rows.Select(r => (double)r.P.Abstract.Count(char.IsDigit))]),
                Statistics.Spearman([.. withResults.Select(r => score(r.A))], [.. withResults.Select(r => (double)r.P.Abstract.Count(char.IsDigit))]));
        }

        var relations = new List<AiRelation>
        {
            Relation("raw", a => a.Raw),
            Relation("significance", a => a.Rubric.Significance),
            Relation("evidence", a => a.Rubric.Evidence),
            Relation("clarity", a => a.Rubric.Clarity),
        };

        var differences = new Dictionary<ProbeKind, List<(double Raw, double Significance, double Evidence, double Clarity)>>();
        foreach (var (probe, vector, noveltyRaw) in probes)
        {
            var mine = await Assess(probe.Paper, vector, noveltyRaw).ConfigureAwait(false);
            AiAssessment? best = null;
            foreach (var original in probe.Originals)
            {
                if (await Assess(original, vectorOf(original.Id), noveltyRawOf(original.Id)).ConfigureAwait(false) is { } theirs && (best is null || theirs.Raw > best.Raw))
                {
                    best = theirs;
                }
            }

            if (mine is not null && best is not null)
            {
                (differences.TryGetValue(probe.Kind, out var list) ? list : differences[probe.Kind] = []).Add((
                    mine.Raw - best.Raw,
                    mine.Rubric.Significance - best.Rubric.Significance,
                    mine.Rubric.Evidence - best.Rubric.Evidence,
                    mine.Rubric.Clarity - best.Rubric.Clarity));
            }
        }

        return new AiReport(
            assessor.Model + " " + assessor.PromptVersion,
            rows.Count,
            relations,
            differences.ToDictionary(d => d.Key, d =>
            {
                static double Higher(IEnumerable<double> values) => Statistics.Share([.. values], x => x > 1e-9);
                var raw = d.Value.Select(x => x.Raw).ToList();
                return new AiProbeResult(d.Value.Count, Higher(raw), Statistics.Median(raw), raw.Max(),
                    Higher(d.Value.Select(x => x.Significance)), Higher(d.Value.Select(x => x.Evidence)), Higher(d.Value.Select(x => x.Clarity)));
            }));
    }

    /// <summary>The stored form of an evaluation paper, with its current embedding.</summary>
    public static Paper ToPaper(EvalPaper paper, float[] vector, string embeddingModel)
    {
        var hash = PaperIdentity.ContentHash(paper.Title, paper.Abstract);
        return new Paper
        {
            Id = paper.Id,
            Title = paper.Title,
            Abstract = paper.Abstract,
            Authors = [.. paper.AuthorIds.Select(a => new PaperAuthor(a))],
            Categories = paper.Category is null ? [] : [paper.Category],
            Published = paper.Published,
            Aliases = [paper.Id],
            Sources = ["validity"],
            ContentHash = hash,
            Embedding = new PaperEmbedding(embeddingModel, hash, vector),
        };
    }
}

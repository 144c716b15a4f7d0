using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>Settings of a validity run.</summary>
public sealed record ValidityOptions
{
    /// <summary>Probes of each kind.</summary>
    public int ProbesPerKind { get; init; } = 1000;

    /// <summary>The k the comparison is made at.</summary>
    public int K { get; init; } = 10;

    /// <summary>The k values the stability of the ranking is measured across.</summary>
    public IReadOnlyList<int> StabilityKs { get; init; } = [5, 10, 20];

    /// <summary>Papers (and probe dates) from this day on are evaluated; earlier ones are only history.</summary>
    public required DateOnly EvaluateFrom { get; init; }

    /// <summary>The last evaluated day.</summary>
    public required DateOnly EvaluateTo { get; init; }

    /// <summary>The cohort rule of the percentiles (the product's default).</summary>
    public CohortRule Cohort { get; init; } = new NoveltyOptions().Cohort;

    /// <summary>Seed of the probes.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>The planted-structure corpus (topics, derivatives per topic, seed), as the unit tests generate it.</summary>
    public (int Topics, int Derivatives, int Seed) Planted { get; init; } = (40, 12, 42);
}

/// <summary>
/// Issue 10's harness: every candidate definition of novelty on one corpus of real or generated papers, with
/// near-copy probes, the planted-structure AUROC on synthetic vectors, stability across k, the most common score,
/// the relation to local density, and the time per 10k papers.
/// </summary>
public static class ValidityRun
{
    /// <summary>Runs the comparison; <paramref name="embed"/> turns texts into the product's unit vectors.</summary>
    public static async Task<ValidityReport> RunAsync(
        IReadOnlyList<EvalPaper> papers,
        Func<IReadOnlyList<string>, Task<float[][]>> embed,
        ValidityOptions options,
        IReadOnlyList<NoveltyCandidate> candidates,
        Action<string>? log = null,
        (IAiAssessor Assessor, string EmbeddingModel, NoveltyCandidate Novelty)? ai = null,
        IReadOnlyDictionary<string, int>? citations = null)
    {
        log ??= _ => { };
        var vectors = await embed([.. papers.Select(p => p.Text)]).ConfigureAwait(false);
        var corpus = papers.Select((p, i) => Entry(p, vectors[i])).ToList();
        var maxK = Math.Max(options.K, options.StabilityKs.Max());
        var evaluation = new NoveltyEvaluation(corpus, maxK, options.Cohort);
        log($"neighbours of {corpus.Count:N0} papers up to k = {maxK} in {evaluation.SearchSeconds:F1} s");

        var probes = NearCopyProbes.Make(papers, options.ProbesPerKind, options.EvaluateFrom, options.EvaluateTo, options.Seed);
        var probeVectors = await embed([.. probes.Select(p => p.Paper.Text)]).ConfigureAwait(false);
        var probeEntries = probes.Select((p, i) => Entry(p.Paper, probeVectors[i])).ToList();
        log($"{probes.Count:N0} probes made and embedded");

        var evaluated = evaluation.Corpus.Where(e => e.Published >= options.EvaluateFrom && e.Published <= options.EvaluateTo).ToList();
        log(SameAuthorNearest(evaluation, evaluated));
        var density = LocalDensity.Of(evaluation.Corpus);
        var topics = TopicSize.Of(evaluation.Corpus, Math.Max(2, corpus.Count / 200));
        var planted = PlantedCorpus.Generate(options.Planted.Topics, options.Planted.Derivatives, options.Planted.Seed);
        var plantedEvaluation = new NoveltyEvaluation([.. planted.Select(p => p.Entry)], options.K, options.Cohort);

        var results = new List<CandidateResult>();
        foreach (var candidate in candidates)
        {
            var seconds = evaluation.TimeDefinition(candidate, options.K);
            var scores = evaluation.Score(candidate, options.K);
            var probeResults = Enum.GetValues<ProbeKind>().ToDictionary(
                kind => kind,
                kind => Probes(evaluation, candidate, options.K, probes, probeEntries, kind, evaluated, scores));
            var (densityRho, sparse, dense) = DensityRelation(evaluated, scores, density);
            var (topicRho, small, large) = DensityRelation(evaluated, scores, topics);
            var common = evaluated.Select(e => scores[e.Id].Percentile).OfType<double>().GroupBy(v => v).OrderByDescending(g => g.Count()).Take(3);
            log($"{candidate.Name}: most common scores {string.Join(", ", common.Select(g => $"{g.Key:F1} ({g.Count()})"))}");
            results.Add(new CandidateResult(
                candidate.Name,
                candidate.Description,
                probeResults,
                PlantedAuroc(plantedEvaluation, candidate, options.K, planted),
                Stability(evaluation, candidate, evaluated, options.StabilityKs[0], options.StabilityKs[1]),
                Stability(evaluation, candidate, evaluated, options.StabilityKs[1], options.StabilityKs[2]),
                Statistics.ModalShare([.. evaluated.Select(e => scores[e.Id].Percentile).OfType<double>()]),
                densityRho,
                sparse,
                dense,
                topicRho,
                small,
                large,
                DateRelation(evaluated, scores),
                seconds / corpus.Count * 10_000)
            {
                Citations = citations is null ? null : CitationLink.Measure(evaluated, id => scores[id].Percentile, citations),
            });
            log($"{candidate.Name}: raw of real papers p1/p5/p10/p50 {Quantiles(evaluated.Select(e => scores[e.Id].Raw))}; probes " +
                string.Join("; ", Enum.GetValues<ProbeKind>().Select(kind => $"{kind} p50/p90/p99 {Quantiles(probes.Select((p, i) => (p, i)).Where(x => x.p.Kind == kind).Select(x => evaluation.ScoreProbe(candidate, options.K, probeEntries[x.i]).Raw), 0.5, 0.9, 0.99)}")));
        }

        AiReport? aiReport = null;
        if (ai is var (assessor, model, novelty))
        {
            var scores = evaluation.Score(novelty, options.K);
            var byId = papers.Select((p, i) => (p, i)).ToDictionary(x => x.p.Id, x => x.i, StringComparer.Ordinal);
            aiReport = await AiEvaluation.RunAsync(
                assessor,
                model,
                [.. evaluated.Select(e => (papers[byId[e.Id]], e.Vector, scores[e.Id].Percentile, scores[e.Id].Raw))],
                [.. probes.Select((p, i) => (p, probeVectors[i], evaluation.ScoreProbe(novelty, options.K, probeEntries[i]).Raw))],
                evaluation.VectorOf,
                id => scores.TryGetValue(id, out var s) ? s.Raw : null).ConfigureAwait(false);
            log($"AI assessor {aiReport.Model}: done");
        }

        return new ValidityReport(corpus.Count, evaluated.Count, options.EvaluateFrom, options.EvaluateTo, options.K,
            evaluation.SearchSeconds / corpus.Count * 10_000, results, aiReport);
    }

    /// <summary>How often a paper's nearest earlier paper (after the same-work rule) shares an author, by similarity.</summary>
    private static string SameAuthorNearest(NoveltyEvaluation evaluation, IReadOnlyList<CorpusEntry> evaluated)
    {
        var bands = new[] { 0.8, 0.9, 0.95 };
        var shared = new int[bands.Length];
        var all = new int[bands.Length];
        foreach (var e in evaluated)
        {
            if (evaluation.Of(e.Id) is not [var nearest, ..])
            {
                continue;
            }

            var sharesAuthor = WorkKeys.Overlap(e.AuthorKeys, evaluation.AuthorsOf(nearest.Id));
            for (var b = 0; b < bands.Length; b++)
            {
                if (nearest.Similarity >= bands[b])
                {
                    all[b]++;
                    shared[b] += sharesAuthor ? 1 : 0;
                }
            }
        }

        return "nearest earlier paper at similarity ≥ " + string.Join(", ", bands.Select((b, i) => $"{b}: {all[i]} papers ({shared[i]} sharing an author)")) + $" of {evaluated.Count}";
    }

    /// <summary>A corpus entry of an evaluation paper.</summary>
    public static CorpusEntry Entry(EvalPaper paper, float[] vector) =>
        PlantedCorpus.Entry(paper.Id, paper.Published, paper.Category, vector, [.. paper.AuthorIds]);

    private static ProbeResult Probes(
        NoveltyEvaluation evaluation,
        NoveltyCandidate candidate,
        int k,
        IReadOnlyList<Probe> probes,
        IReadOnlyList<CorpusEntry> entries,
        ProbeKind kind,
        IReadOnlyList<CorpusEntry> evaluated,
        IReadOnlyDictionary<string, Scored> scores)
    {
        var percentiles = new List<double>();
        var aurocs = new List<(double Probe, DateOnly Month)>();
        var count = 0;
        for (var i = 0; i < probes.Count; i++)
        {
            if (probes[i].Kind != kind)
            {
                continue;
            }

            count++;
            if (evaluation.ScoreProbe(candidate, k, entries[i]).Percentile is { } p)
            {
                percentiles.Add(p);
                aurocs.Add((p, Month(entries[i].Published)));
            }
        }

        // AUROC of "real paper of the same month scores above the probe", pooled over months.
        var realByMonth = evaluated.GroupBy(e => Month(e.Published))
            .ToDictionary(g => g.Key, g => g.Select(e => scores[e.Id].Percentile).OfType<double>().ToList());
        double wins = 0, pairs = 0;
        foreach (var group in aurocs.GroupBy(a => a.Month))
        {
            if (!realByMonth.TryGetValue(group.Key, out var real) || real.Count == 0)
            {
                continue;
            }

            var n = group.Count();
            var auroc = Statistics.Auroc(real, [.. group.Select(g => g.Probe)]);
            wins += auroc * n * real.Count;
            pairs += n * (double)real.Count;
        }

        return new ProbeResult(count, percentiles.Count, Statistics.Share(percentiles, p => p < 10), Statistics.Share(percentiles, p => p < 50),
            Statistics.Median(percentiles), pairs == 0 ? double.NaN : wins / pairs);
    }

    private static string Quantiles(IEnumerable<double?> values, params double[] at)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        at = at.Length == 0 ? [0.01, 0.05, 0.1, 0.5] : at;
        return sorted.Length == 0 ? "-" : string.Join("/", at.Select(q => sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)].ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static DateOnly Month(DateOnly day) => new(day.Year, day.Month, 1);

    private static double PlantedAuroc(NoveltyEvaluation planted, NoveltyCandidate candidate, int k, IReadOnlyList<PlantedPaper> papers)
    {
        var scores = planted.Score(candidate, k);
        var founding = papers.Where(p => p.Founding).Select(p => scores[p.Entry.Id].Percentile).OfType<double>().ToList();
        var derivative = papers.Where(p => !p.Founding).Select(p => scores[p.Entry.Id].Percentile).OfType<double>().ToList();
        return Statistics.Auroc(founding, derivative);
    }

    private static double Stability(NoveltyEvaluation evaluation, NoveltyCandidate candidate, IReadOnlyList<CorpusEntry> evaluated, int k1, int k2)
    {
        var a = evaluation.Score(candidate, k1);
        var b = evaluation.Score(candidate, k2);
        var both = evaluated.Where(e => a[e.Id].Raw is not null && b[e.Id].Raw is not null).ToList();
        return Statistics.Spearman([.. both.Select(e => a[e.Id].Raw!.Value)], [.. both.Select(e => b[e.Id].Raw!.Value)]);
    }

    /// <summary>Spearman of score and publication date: a score that drifts as the corpus grows is not comparable over time.</summary>
    private static double DateRelation(IReadOnlyList<CorpusEntry> evaluated, IReadOnlyDictionary<string, Scored> scores)
    {
        var scored = evaluated.Where(e => scores[e.Id].Percentile is not null).ToList();
        return Statistics.Spearman([.. scored.Select(e => (double)e.Published.DayNumber)], [.. scored.Select(e => scores[e.Id].Percentile!.Value)]);
    }

    /// <summary>Spearman of score and local density, and the mean score in the sparsest and densest fifth.</summary>
    private static (double Rho, double Sparse, double Dense) DensityRelation(
        IReadOnlyList<CorpusEntry> evaluated, IReadOnlyDictionary<string, Scored> scores, IReadOnlyDictionary<string, double> density)
    {
        var pairs = evaluated.Where(e => scores[e.Id].Percentile is not null)
            .Select(e => (Density: density[e.Id], Score: scores[e.Id].Percentile!.Value))
            .OrderBy(p => p.Density).ToList();
        if (pairs.Count < 5)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var fifth = pairs.Count / 5;
        return (Statistics.Spearman([.. pairs.Select(p => p.Density)], [.. pairs.Select(p => p.Score)]),
            pairs.Take(fifth).Average(p => p.Score),
            pairs.Skip(pairs.Count - fifth).Average(p => p.Score));
    }
}

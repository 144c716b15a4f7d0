using ScholarFx.Core.Scoring;

namespace ScholarFx.Validity;

/// <summary>How near-copies of one kind fared under a pioneer candidate against their originals.</summary>
/// <param name="Compared">Copies where both the copy and its original(s) have a value.</param>
/// <param name="Higher">Share of those whose value is above their original's (a joined copy: above the better of its two).</param>
/// <param name="Tied">Share equal to it.</param>
public sealed record PioneerCopies(int Compared, double Higher, double Tied);

/// <summary>
/// One pioneer candidate's row: its link with citations (null on a corpus without them), how many papers share its most
/// common value, the copies, founding papers above their derivatives on the planted corpus, and its time per 10k papers.
/// </summary>
public sealed record PioneerResult(
    string Name,
    string Description,
    int Scored,
    double ModalShare,
    CitationResult? Citations,
    IReadOnlyDictionary<ProbeKind, PioneerCopies> Copies)
{
    /// <summary>Papers of the corpus (with a value or not).</summary>
    public int Papers { get; init; }

    /// <summary>AUROC of founding papers above their derivatives on the planted-structure corpus (NaN: not measured).</summary>
    public double PlantedAuroc { get; init; } = double.NaN;

    /// <summary>Seconds the raw values of the whole corpus take per 10k papers, after the neighbour search.</summary>
    public double SecondsPer10k { get; init; } = double.NaN;
}

/// <summary>
/// The pioneer candidates on a corpus with citations (docs/validity.md, "Papers with citations"). Near-copies are made
/// as for novelty (<see cref="NearCopyProbes"/>) but, unlike there, join the corpus: a pioneer score is about what
/// comes after a paper, so a copy has to be able to take later papers' attention away from its original.
/// </summary>
public static class PioneerRun
{
    /// <summary>
    /// The candidates: (kind, window in days, lag in days before later papers count). A lag of 60 days keeps a paper's
    /// own batch (the same November–December on the cited set's clustered time axis) out of its followers.
    /// </summary>
    public static IReadOnlyList<(PioneerKind Kind, int WindowDays, int LagDays)> Candidates { get; } =
    [
        (PioneerKind.Followers, 365, 0), (PioneerKind.Followers, 730, 0), (PioneerKind.Followers, 730, 60),
        (PioneerKind.RankedFollowers, 730, 0), (PioneerKind.RankedFollowers, 730, 60),
        (PioneerKind.DensityGrowth, 730, 0), (PioneerKind.DensityGrowth, 730, 60),
        (PioneerKind.LaterDensity, 730, 0), (PioneerKind.LaterDensity, 730, 60),
        (PioneerKind.RankedFollowersThenDensity, 730, 0), (PioneerKind.RankedFollowersThenDensity, 730, 60),
        (PioneerKind.Product, 730, 60),
    ];

    /// <summary>The candidates the harness runs on a corpus of a single year, where the later-density search of every paper's window is not worth its time.</summary>
    public static IReadOnlyList<(PioneerKind Kind, int WindowDays, int LagDays)> FollowerCandidates { get; } =
    [
        (PioneerKind.Followers, 730, 60), (PioneerKind.RankedFollowers, 730, 60), (PioneerKind.Product, 730, 60),
    ];

    /// <summary>
    /// Runs every candidate (and each of <paramref name="variants"/>, with the product's window and lag) on
    /// <paramref name="clean"/> (the corpus without probes) and on the corpus with the copies joined. Without
    /// <paramref name="citations"/> every paper of the corpus counts and the citation columns stay empty.
    /// </summary>
    public static async Task<IReadOnlyList<PioneerResult>> RunAsync(
        NoveltyEvaluation clean,
        IReadOnlyList<EvalPaper> papers,
        IReadOnlyDictionary<string, int>? citations,
        Func<IReadOnlyList<string>, Task<float[][]>> embed,
        (int PerKind, DateOnly From, DateOnly To, int Seed) probes,
        CohortRule rule,
        Action<string> log,
        IReadOnlyList<(PioneerKind Kind, int WindowDays, int LagDays)>? candidates = null,
        IReadOnlyList<PioneerVariant>? variants = null)
    {
        candidates ??= Candidates;
        variants ??= [];
        var planted = PlantedCorpus.Generate(topics: 60, derivativesPerTopic: 12, seed: 11);
        var plantedEvaluation = new NoveltyEvaluation([.. planted.Select(p => p.Entry)], Math.Max(10, variants.Select(v => v.K).DefaultIfEmpty(10).Max()), rule);
        var made = NearCopyProbes.Make(papers, probes.PerKind, probes.From, probes.To, probes.Seed);
        var vectors = await embed([.. made.Select(p => p.Paper.Text)]).ConfigureAwait(false);
        var withCopies = new NoveltyEvaluation(
            [.. clean.Corpus, .. made.Select((p, i) => ValidityRun.Entry(p.Paper, vectors[i]))], clean.MaxK, rule);
        log($"pioneer: {made.Count} copies joined the corpus");
        foreach (var kind in Enum.GetValues<ProbeKind>())
        {
            // How close each kind of copy comes to its original(s): the similarity its nearest earlier paper has.
            var nearest = made.Where(p => p.Kind == kind).Select(p => withCopies.Of(p.Paper.Id) is [var first, ..] ? (double)first.Similarity : double.NaN).Where(s => !double.IsNaN(s)).Order().ToArray();
            if (nearest.Length > 0)
            {
                log(FormattableString.Invariant($"pioneer: {kind} copies' nearest earlier paper at p10/p50/p90 similarity {nearest[nearest.Length / 10]:F3}/{nearest[nearest.Length / 2]:F3}/{nearest[nearest.Length * 9 / 10]:F3}"));
            }
        }

        // How many real papers a soft version rule touches: their nearest earlier paper is at least this similar.
        var realNearest = clean.Corpus.Select(e => clean.Of(e.Id) is [var first, ..] ? first.Similarity : 0f).ToArray();
        log(string.Join(", ", new[] { 0.7f, 0.75f, 0.8f, 0.9f }.Select(t => FormattableString.Invariant($"{realNearest.Count(s => s >= t) / (double)realNearest.Length:P1} of papers with their nearest earlier paper at ≥ {t}"))));

        var results = new List<PioneerResult>();
        foreach (var (window, lag) in candidates.Select(c => (c.WindowDays, c.LagDays)).Distinct())
        {
            var plain = new PioneerEvaluation(clean, window, lag);
            var copied = new PioneerEvaluation(withCopies, window, lag);
            var plantedPioneer = new PioneerEvaluation(plantedEvaluation, window, lag);
            log($"pioneer, window {window} days, lag {lag}: {plain.Versions} papers taken as versions of an earlier paper ({copied.Versions} with the copies)");
            foreach (var (kind, _, _) in candidates.Where(c => c.WindowDays == window && c.LagDays == lag))
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var raw = plain.Raw(kind);
                var seconds = watch.Elapsed.TotalSeconds;
                results.Add(Result(
                    log,
                    $"{Name(kind)} ({window} d{(lag > 0 ? $", lag {lag} d" : "")})",
                    Description(kind, window) + (lag > 0 ? $", counting later papers from {lag} days after it" : ""),
                    clean, raw, copied.Raw(kind), plantedPioneer.Raw(kind), seconds, made, planted, citations));
            }
        }

        foreach (var variant in variants)
        {
            const int window = 730, lag = 60;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var raw = variant.Raw(clean, window, lag);
            var seconds = watch.Elapsed.TotalSeconds;
            var copyRaw = variant.Raw(withCopies, window, lag);
            results.Add(Result(
                log,
                $"{variant.Name} ({window} d, lag {lag} d)",
                variant.ToString(),
                clean, raw, copyRaw, variant.Raw(plantedEvaluation, window, lag), seconds, made, planted, citations));
            foreach (var probe in made.Where(p => copyRaw[p.Paper.Id] is { } own && p.Originals.All(o => copyRaw[o.Id] is { } v && own > v)))
            {
                var near = withCopies.Of(probe.Paper.Id) ?? [];
                log(FormattableString.Invariant($"  {variant.Name}: {probe.Kind} copy {probe.Paper.Id} ({probe.Paper.Published}) raw {copyRaw[probe.Paper.Id]:E3} above its originals ") +
                    string.Join(", ", probe.Originals.Select(o => FormattableString.Invariant($"{o.Id} ({o.Published}) {copyRaw[o.Id]:E3} at similarity {near.FirstOrDefault(n => n.Id == o.Id).Similarity:F3}, rank {near.ToList().FindIndex(n => n.Id == o.Id) + 1}"))));
            }
            log($"pioneer variant {results[^1].Name}: top decile {results[^1].Citations?.TopDecileAboveMedian:P1}, ρ {results[^1].Citations?.Spearman:F3}");
        }

        return results;
    }

    private static PioneerResult Result(
        Action<string> log,
        string name,
        string description,
        NoveltyEvaluation clean,
        IReadOnlyDictionary<string, double?> raw,
        IReadOnlyDictionary<string, double?> copyRaw,
        IReadOnlyDictionary<string, double?> plantedRaw,
        double seconds,
        IReadOnlyList<Probe> made,
        IReadOnlyList<PlantedPaper> planted,
        IReadOnlyDictionary<string, int>? citations)
    {
        var scored = clean.Corpus.Where(e => (citations is null || citations.ContainsKey(e.Id)) && raw[e.Id] is not null).Select(e => raw[e.Id]!.Value).ToList();
        var valued = clean.Corpus.Where(e => raw[e.Id] is not null).ToList();
        log(FormattableString.Invariant($"{name}: {valued.Count:N0} of {clean.Corpus.Count:N0} papers with a value, published {valued.FirstOrDefault()?.Published:yyyy-MM-dd} to {valued.LastOrDefault()?.Published:yyyy-MM-dd}"));
        var founding = planted.Where(p => p.Founding && plantedRaw[p.Entry.Id] is not null).Select(p => plantedRaw[p.Entry.Id]!.Value).ToArray();
        var derivatives = planted.Where(p => !p.Founding && plantedRaw[p.Entry.Id] is not null).Select(p => plantedRaw[p.Entry.Id]!.Value).ToArray();
        return new PioneerResult(
            name,
            description,
            scored.Count,
            Statistics.ModalShare(scored),
            citations is null ? null : CitationLink.Measure(clean.Corpus, id => raw[id], citations),
            Enum.GetValues<ProbeKind>().ToDictionary(k => k, k => Copies(made.Where(p => p.Kind == k), copyRaw)))
        {
            Papers = clean.Corpus.Count,
            PlantedAuroc = founding.Length == 0 || derivatives.Length == 0 ? double.NaN : Statistics.Auroc(founding, derivatives),
            SecondsPer10k = seconds / clean.Corpus.Count * 10_000,
        };
    }

    private static PioneerCopies Copies(IEnumerable<Probe> probes, IReadOnlyDictionary<string, double?> raw)
    {
        int compared = 0, higher = 0, tied = 0;
        foreach (var probe in probes)
        {
            if (raw[probe.Paper.Id] is not { } own || probe.Originals.Select(o => raw[o.Id]).ToList() is var originals && originals.Any(o => o is null))
            {
                continue;
            }

            var best = originals.Max(o => o!.Value);
            compared++;
            higher += own > best ? 1 : 0;
            tied += own == best ? 1 : 0;
        }

        return new PioneerCopies(compared, compared == 0 ? double.NaN : higher / (double)compared, compared == 0 ? double.NaN : tied / (double)compared);
    }

    private static string Name(PioneerKind kind) => kind switch
    {
        PioneerKind.Followers => "followers",
        PioneerKind.RankedFollowers => "ranked followers",
        PioneerKind.DensityGrowth => "density growth",
        PioneerKind.RankedFollowersThenDensity => "ranked followers, ties by later density",
        PioneerKind.Product => "product (pioneer/1): ranked followers, ties by earlier density",
        _ => "later density",
    };

    private static string Description(PioneerKind kind, int window) => kind switch
    {
        PioneerKind.Followers => $"share of the papers of the {window} days after it whose nearest earlier paper is this one (versions credited to the first)",
        PioneerKind.RankedFollowers => $"as followers, but each later paper of the {window} days credits its k = 10 nearest earlier papers with 1/rank",
        PioneerKind.RankedFollowersThenDensity => $"ranked followers of the {window} days after it, ties (no follower) broken by the later density",
        PioneerKind.Product => $"ranked followers of the {window} days after it as the product computes them, ties broken by the mean similarity of the 10 nearest earlier papers, a version's own value 0",
        PioneerKind.DensityGrowth => $"mean similarity of the 10 nearest papers of the {window} days after it minus that of its 10 nearest earlier papers",
        _ => $"mean similarity of the 10 nearest papers of the {window} days after it",
    };
}

using ScholarFx.Core.Scoring;

namespace ScholarFx.Validity;

/// <summary>How near-copies of one kind fared under a pioneer candidate against their originals.</summary>
/// <param name="Compared">Copies where both the copy and its original(s) have a value.</param>
/// <param name="Higher">Share of those whose value is above their original's (a joined copy: above the better of its two).</param>
/// <param name="Tied">Share equal to it.</param>
public sealed record PioneerCopies(int Compared, double Higher, double Tied);

/// <summary>One pioneer candidate's row: its link with citations, how many papers share its most common value, and the copies.</summary>
public sealed record PioneerResult(
    string Name,
    string Description,
    int Scored,
    double ModalShare,
    CitationResult Citations,
    IReadOnlyDictionary<ProbeKind, PioneerCopies> Copies);

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

    /// <summary>Runs every candidate on <paramref name="clean"/> (the corpus without probes) and on the corpus with the copies joined.</summary>
    public static async Task<IReadOnlyList<PioneerResult>> RunAsync(
        NoveltyEvaluation clean,
        IReadOnlyList<EvalPaper> papers,
        IReadOnlyDictionary<string, int> citations,
        Func<IReadOnlyList<string>, Task<float[][]>> embed,
        (int PerKind, DateOnly From, DateOnly To, int Seed) probes,
        CohortRule rule,
        Action<string> log)
    {
        var made = NearCopyProbes.Make(papers, probes.PerKind, probes.From, probes.To, probes.Seed);
        var vectors = await embed([.. made.Select(p => p.Paper.Text)]).ConfigureAwait(false);
        var withCopies = new NoveltyEvaluation(
            [.. clean.Corpus, .. made.Select((p, i) => ValidityRun.Entry(p.Paper, vectors[i]))], clean.MaxK, rule);
        log($"pioneer: {made.Count} copies joined the corpus");

        var results = new List<PioneerResult>();
        foreach (var (window, lag) in Candidates.Select(c => (c.WindowDays, c.LagDays)).Distinct())
        {
            var plain = new PioneerEvaluation(clean, window, lag);
            var copied = new PioneerEvaluation(withCopies, window, lag);
            log($"pioneer, window {window} days, lag {lag}: {plain.Versions} papers taken as versions of an earlier paper ({copied.Versions} with the copies)");
            foreach (var (kind, _, _) in Candidates.Where(c => c.WindowDays == window && c.LagDays == lag))
            {
                var raw = plain.Raw(kind);
                var scored = clean.Corpus.Where(e => citations.ContainsKey(e.Id) && raw[e.Id] is not null).Select(e => raw[e.Id]!.Value).ToList();
                var copyRaw = copied.Raw(kind);
                var copies = Enum.GetValues<ProbeKind>().ToDictionary(k => k, k => Copies(made.Where(p => p.Kind == k), copyRaw));
                results.Add(new PioneerResult(
                    $"{Name(kind)} ({window} d{(lag > 0 ? $", lag {lag} d" : "")})",
                    Description(kind, window) + (lag > 0 ? $", counting later papers from {lag} days after it" : ""),
                    scored.Count,
                    Statistics.ModalShare(scored),
                    CitationLink.Measure(clean.Corpus, id => raw[id], citations),
                    copies));
            }
        }

        return results;
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

using System.Runtime.CompilerServices;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>
/// How busy a paper's area is, read from its own earlier neighbourhood: the mean similarity of the 2nd to k-th nearest
/// earlier papers. The nearest one is left out so that a near-copy does not make its own area look busy.
/// </summary>
internal static class AreaDensity
{
    public static double? Of(IReadOnlyList<Near> neighbours, int k)
    {
        if (k < 2 || neighbours.Count < k)
        {
            return null;
        }

        double sum = 0;
        for (var i = 1; i < k; i++)
        {
            sum += neighbours[i].Similarity;
        }

        return sum / (k - 1);
    }

    /// <summary>Every corpus paper's (density, raw value under <paramref name="inner"/>) at k, where both are defined.</summary>
    public static List<(double Density, double Raw)> Table(NoveltyCandidate inner, INeighbourhoods corpus, int k)
    {
        var rows = new (double, double)?[corpus.Corpus.Count];
        Parallel.For(0, rows.Length, i =>
        {
            var paper = corpus.Corpus[i];
            var found = inner.Neighbours(paper, corpus.Of(paper.Id) ?? [], k, corpus);
            IReadOnlyList<Near> near = found.Count <= k ? found : [.. found.Take(k)];
            if (Of(near, k) is { } density && inner.Raw(near, k, corpus) is { } raw)
            {
                rows[i] = (density, raw);
            }
        });
        return [.. rows.OfType<(double, double)>()];
    }
}

/// <summary>
/// "As novel as papers in equally busy areas": the inner definition's raw value ranked only among corpus papers of
/// about the same area density (<see cref="AreaDensity"/>), then the cohort percentile of that rank as usual.
/// <see cref="Reference.Band"/> ranks against the tenth of the corpus nearest in density (a sliding band);
/// <see cref="Reference.Decile"/> against the paper's density decile (fixed strata). A copy has an inner raw value
/// near 0, so it ranks at the bottom of whatever band it falls in.
/// </summary>
internal sealed class DensityMatched(NoveltyCandidate inner, DensityMatched.Reference reference) : NoveltyCandidate
{
    public enum Reference { Band, Decile }

    // The reference table of each corpus (the planted corpus and the real one are scored by the same instance) and k.
    private readonly ConditionalWeakTable<INeighbourhoods, Dictionary<int, Calibration>> calibrations = new();

    public override string Name => $"{inner.Name}, {(reference == Reference.Band ? "density-matched" : "density-decile")} rank";

    public override string Description => $"{inner.Description}, ranked among the {(reference == Reference.Band ? "tenth of the corpus nearest in" : "papers of the same decile of")} area density (mean similarity of the 2nd–k-th nearest earlier papers)";

    public override IReadOnlyList<Near> Neighbours(CorpusEntry paper, IReadOnlyList<Near> found, int k, INeighbourhoods corpus) =>
        inner.Neighbours(paper, found, k, corpus);

    public override void Prepare(INeighbourhoods corpus, int k)
    {
        var rows = AreaDensity.Table(inner, corpus, k);
        rows.Sort((a, b) => a.Density.CompareTo(b.Density));
        var table = calibrations.GetOrCreateValue(corpus);
        lock (table)
        {
            table[k] = new Calibration([.. rows.Select(r => r.Density)], [.. rows.Select(r => r.Raw)], reference);
        }
    }

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus)
    {
        if (inner.Raw(neighbours, k, corpus) is not { } raw || AreaDensity.Of(neighbours, k) is not { } density)
        {
            return null;
        }

        Calibration calibration;
        var table = calibrations.GetOrCreateValue(corpus);
        lock (table)
        {
            calibration = table[k];
        }

        return calibration.Rank(density, raw);
    }

    private sealed class Calibration(double[] densities, double[] raws, Reference reference)
    {
        public double Rank(double density, double raw)
        {
            var n = densities.Length;
            var at = Array.BinarySearch(densities, density);
            at = at < 0 ? ~at : at;
            int from, to;
            if (reference == Reference.Band)
            {
                var width = Math.Max(30, n / 10);
                from = Math.Clamp(at - (width / 2), 0, Math.Max(0, n - width));
                to = Math.Min(n, from + width);
            }
            else
            {
                var decile = Math.Min(9, at * 10 / Math.Max(1, n));
                from = decile * n / 10;
                to = (decile + 1) * n / 10;
            }

            double below = 0;
            for (var i = from; i < to; i++)
            {
                below += raws[i] < raw ? 1 : raws[i] == raw ? 0.5 : 0;
            }

            // Ties of the rank (the band holds a few hundred papers) are broken by the inner value, which keeps the
            // most common published score low.
            return (below / Math.Max(1, to - from)) + (1e-6 * Math.Tanh(raw));
        }
    }
}

/// <summary>
/// The inner raw value with the area density regressed out: <c>ln raw − b · density</c>, where b is the least-squares
/// slope of ln raw on <see cref="AreaDensity"/> over the corpus (one constant the product could refit nightly). Written
/// as <c>raw · exp(−b · density)</c>, so a copy (raw ≈ 0) stays at 0.
/// </summary>
internal sealed class DensityResidual(NoveltyCandidate inner) : NoveltyCandidate
{
    private readonly ConditionalWeakTable<INeighbourhoods, Dictionary<int, double>> slopes = new();

    public override string Name => $"{inner.Name}, density residual";

    public override string Description => $"{inner.Description} × exp(−b · area density), b the least-squares slope of its logarithm on the area density over the corpus";

    public override IReadOnlyList<Near> Neighbours(CorpusEntry paper, IReadOnlyList<Near> found, int k, INeighbourhoods corpus) =>
        inner.Neighbours(paper, found, k, corpus);

    public override void Prepare(INeighbourhoods corpus, int k)
    {
        // Near-zero values (copies) would dominate a fit on the logarithm; the slope is a property of ordinary papers.
        var rows = AreaDensity.Table(inner, corpus, k).Where(r => r.Raw > 1e-3).ToList();
        var slope = 0.0;
        if (rows.Count >= 2)
        {
            var mx = rows.Average(r => r.Density);
            var my = rows.Average(r => Math.Log(r.Raw));
            var sxy = rows.Sum(r => (r.Density - mx) * (Math.Log(r.Raw) - my));
            var sxx = rows.Sum(r => (r.Density - mx) * (r.Density - mx));
            slope = sxx <= 0 ? 0 : sxy / sxx;
        }

        var table = slopes.GetOrCreateValue(corpus);
        lock (table)
        {
            table[k] = slope;
        }
    }

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus)
    {
        if (inner.Raw(neighbours, k, corpus) is not { } raw || AreaDensity.Of(neighbours, k) is not { } density)
        {
            return null;
        }

        double slope;
        var table = slopes.GetOrCreateValue(corpus);
        lock (table)
        {
            slope = table[k];
        }

        return raw * Math.Exp(-slope * density);
    }
}

/// <summary>
/// Concurrent work is not prior art: the inner definition over the k nearest papers published at least
/// <paramref name="days"/> days before the paper, so papers of the same weeks (its own batch on a clustered time axis,
/// parallel work in a hot topic) do not count against it. A paper of those weeks at or above the same-work similarity
/// (0.9) still counts unless it is the same work (shared alias, or shared author at that similarity, as the product's
/// rule): a near-copy is never concurrent work.
/// </summary>
internal sealed class PriorArtOnly(NoveltyCandidate inner, int days) : NoveltyCandidate
{
    private static readonly double SameWorkSimilarity = new NoveltyOptions().SameWorkSimilarity;

    public override string Name => $"{inner.Name}, prior art ≥ {days} d before";

    public override string Description => $"{inner.Description}, over the k nearest papers published at least {days} days before (papers of the last {days} days count only at similarity ≥ {SameWorkSimilarity})";

    public override IReadOnlyList<Near> Neighbours(CorpusEntry paper, IReadOnlyList<Near> found, int k, INeighbourhoods corpus)
    {
        bool Other(CorpusEntry candidate) => !IsSameWork(paper, candidate);
        var prior = corpus.Closest(paper, k, null, paper.Published.AddDays(-days - 1), Other);
        var recentCopies = corpus.Closest(paper, k, paper.Published.AddDays(-days), paper.Published.AddDays(-1), Other)
            .Where(n => n.Similarity >= SameWorkSimilarity);
        return [.. prior.Concat(recentCopies).OrderByDescending(n => n.Similarity).ThenBy(n => n.Id, StringComparer.Ordinal).Take(k)];
    }

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) => inner.Raw(neighbours, k, corpus);

    private static bool IsSameWork(CorpusEntry paper, CorpusEntry candidate) =>
        WorkKeys.Overlap(candidate.AliasKeys, paper.AliasKeys) ||
        (WorkKeys.Overlap(candidate.AuthorKeys, paper.AuthorKeys) && paper.Similarity(candidate) >= SameWorkSimilarity);
}

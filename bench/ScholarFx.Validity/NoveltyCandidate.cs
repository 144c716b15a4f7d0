using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>What a candidate definition may read: a paper's strictly earlier neighbours, and those of any corpus paper.</summary>
public interface INeighbourhoods
{
    /// <summary>The strictly earlier neighbours of a corpus paper, most similar first, or null for a paper outside the corpus.</summary>
    IReadOnlyList<Near>? Of(string id);

    /// <summary>The vector of a corpus paper.</summary>
    float[] VectorOf(string id);

    /// <summary>The corpus in date order.</summary>
    IReadOnlyList<CorpusEntry> Corpus { get; }

    /// <summary>
    /// The <paramref name="top"/> corpus papers most similar to <paramref name="query"/>, published from
    /// <paramref name="from"/> to <paramref name="to"/> (inclusive), that <paramref name="keep"/> accepts; most similar first.
    /// </summary>
    Near[] Closest(CorpusEntry query, int top, DateOnly? from, DateOnly? to, Func<CorpusEntry, bool>? keep);
}

/// <summary>
/// A candidate definition of raw novelty: a function of a paper's k nearest strictly earlier papers (and, for the
/// density-relative ones, of those papers' own neighbourhoods). Only the order of raw values matters: the published
/// score is their cohort percentile.
/// </summary>
public abstract class NoveltyCandidate
{
    /// <summary>Short name used in the report.</summary>
    public abstract string Name { get; }

    /// <summary>The formula in words, with its source.</summary>
    public abstract string Description { get; }

    /// <summary>The k this candidate always uses, whatever k the comparison is made at (null: the comparison's k).</summary>
    public virtual int? FixedK => null;

    /// <summary>Raw novelty from the neighbours (most similar first, at least k of them), or null when undefined.</summary>
    public abstract double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus);

    /// <summary>
    /// The neighbours this candidate reads for <paramref name="paper"/>: by default the k nearest strictly earlier papers
    /// the index found (<paramref name="found"/>); a candidate that counts other earlier papers searches itself.
    /// </summary>
    public virtual IReadOnlyList<Near> Neighbours(CorpusEntry paper, IReadOnlyList<Near> found, int k, INeighbourhoods corpus) => found;

    /// <summary>Called once before the corpus's raw values at k are computed, for candidates calibrated on the whole corpus.</summary>
    public virtual void Prepare(INeighbourhoods corpus, int k)
    {
    }

    /// <summary>The candidates the harness compares.</summary>
    public static IReadOnlyList<NoveltyCandidate> All { get; } =
    [
        new MeanDistance(), new NearestDistance(), new RankWeightedDistance(), new RelativeNeighbourDensity(),
        new LocalOutlierRatio(mean: true), new LocalOutlierRatio(mean: false), new Adopted(),
        new MutualDensityRatio(MutualDensityRatio.Own.Nearest, MutualDensityRatio.Theirs.MeanNearest), new MutualDensityRatio(MutualDensityRatio.Own.Mean, MutualDensityRatio.Theirs.MeanPairwise),
        new MutualDensityRatio(MutualDensityRatio.Own.NearestTwo, MutualDensityRatio.Theirs.MeanPairwise),

        // The candidates for the next version (docs/validity.md, "Novelty without the density of the area").
        new NearestOverMean(), new DensityResidual(new NearestOverMean()),
    ];

    /// <summary>
    /// Candidates that take the density of a paper's area out of novelty while keeping what puts copies at the bottom
    /// (docs/validity.md, "Novelty without the density of the area").
    /// </summary>
    public static IReadOnlyList<NoveltyCandidate> DensityFree { get; } =
    [
        new DensityMatched(Product, DensityMatched.Reference.Band), new DensityMatched(new NearestOverMean(), DensityMatched.Reference.Band),
        new DensityMatched(new NearestDistance(), DensityMatched.Reference.Band), new DensityMatched(Product, DensityMatched.Reference.Decile),
        new DensityResidual(Product), new DensityResidual(new NearestOverMean()),
        new PriorArtOnly(Product, 60), new PriorArtOnly(Product, 90), new PriorArtOnly(new NearestOverMean(), 90),
        new DensityMatched(new PriorArtOnly(Product, 60), DensityMatched.Reference.Band),
    ];

    /// <summary>
    /// The candidates compared on papers with citations: the product's definition first, then its parts and the cheap
    /// variants of docs/validity.md ("Papers with citations"), then the rest of <see cref="All"/> and <see cref="DensityFree"/>.
    /// </summary>
    public static IReadOnlyList<NoveltyCandidate> Cited { get; } =
    [
        .. new NoveltyCandidate[] { Product, new AtK(Product, 20), new MutualSpacing(), new NearestOverMean() }
            .Concat(All.Where(c => c is not Adopted)).Concat(DensityFree).DistinctBy(c => c.Name),
    ];

    /// <summary>The definition the product uses (novelty/2).</summary>
    public static NoveltyCandidate Product => All.OfType<Adopted>().Single();

    /// <summary>1 − mean similarity of the first k neighbours (the mean distance), or null with fewer than k.</summary>
    protected static double? MeanDistanceOf(IReadOnlyList<Near>? neighbours, int k)
    {
        if (neighbours is null || neighbours.Count < k)
        {
            return null;
        }

        double sum = 0;
        for (var i = 0; i < k; i++)
        {
            sum += neighbours[i].Similarity;
        }

        return 1 - (sum / k);
    }

    /// <summary>1 − the nearest neighbour's similarity, or null when there is none.</summary>
    protected static double? NearestDistanceOf(IReadOnlyList<Near>? neighbours) =>
        neighbours is { Count: > 0 } ? 1 - neighbours[0].Similarity : null;
}

/// <summary>novelty/2, the product's definition, computed by the product's own code.</summary>
internal sealed class Adopted : NoveltyCandidate
{
    public override string Name => "nearest / mutual (novelty/2)";

    public override string Description => "(1 − s_1) / mean pairwise distance among the k nearest earlier papers (the relative nearest distance, adopted)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) =>
        RelativeNearestDistance.Of(neighbours, k)?.Raw;
}

/// <summary>novelty/1: 1 − mean similarity to the k nearest earlier papers.</summary>
internal sealed class MeanDistance : NoveltyCandidate
{
    public override string Name => "mean-k (novelty/1)";

    public override string Description => "1 − mean cosine similarity of the k nearest earlier papers (the first definition)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) => MeanDistanceOf(neighbours, k);
}

/// <summary>The distance to the single nearest earlier paper (the k = 1 nearest-neighbour novelty detector).</summary>
internal sealed class NearestDistance : NoveltyCandidate
{
    public override string Name => "nearest";

    public override string Description => "1 − similarity of the nearest earlier paper (kNN distance novelty detection with k = 1; Pimentel et al. 2014, Signal Processing 99:215)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) =>
        neighbours.Count < k ? null : NearestDistanceOf(neighbours);
}

/// <summary>A rank-weighted mean distance: the i-th neighbour weighs 1/i, so the nearest counts most.</summary>
internal sealed class RankWeightedDistance : NoveltyCandidate
{
    public override string Name => "rank-weighted";

    public override string Description => "Σ (1/i)(1 − s_i) / Σ 1/i over the k nearest earlier papers (rank-weighted kNN distance)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus)
    {
        if (neighbours.Count < k)
        {
            return null;
        }

        double sum = 0, weights = 0;
        for (var i = 0; i < k; i++)
        {
            var w = 1.0 / (i + 1);
            sum += w * (1 - neighbours[i].Similarity);
            weights += w;
        }

        return sum / weights;
    }
}

/// <summary>
/// Relative Neighbor Density (Wang, Cui, Jiang and Yan 2025, arXiv:2503.01508): the share of the paper's neighbours
/// whose own neighbour density (mean distance to their k nearest earlier papers) is below the paper's, ties half.
/// </summary>
internal sealed class RelativeNeighbourDensity : NoveltyCandidate
{
    public override string Name => "RND";

    public override string Description => "share of the k neighbours whose own mean distance to their k nearest earlier papers is below the paper's, ties half (Relative Neighbor Density, arXiv:2503.01508)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus)
    {
        if (MeanDistanceOf(neighbours, k) is not { } own)
        {
            return null;
        }

        double below = 0;
        var n = 0;
        for (var i = 0; i < k; i++)
        {
            if (MeanDistanceOf(corpus.Of(neighbours[i].Id), k) is { } theirs)
            {
                n++;
                below += theirs < own ? 1 : theirs == own ? 0.5 : 0;
            }
        }

        return n == 0 ? null : below / n;
    }
}

/// <summary>
/// A local outlier ratio in the manner of LOF (Breunig, Kriegel, Ng and Sander 2000, SIGMOD): the paper's distance
/// to earlier work divided by the mean of the same distance for its k neighbours, with the distance the mean over k
/// (<c>mean</c>) or to the nearest paper alone.
/// </summary>
internal sealed class LocalOutlierRatio(bool mean) : NoveltyCandidate
{
    public override string Name => mean ? "LOF-ratio (mean-k)" : "LOF-ratio (nearest)";

    public override string Description => mean
        ? "mean-k distance of the paper / mean of its k neighbours' own mean-k distances (LOF-style, Breunig et al. 2000)"
        : "nearest-paper distance of the paper / mean of its k neighbours' own nearest-paper distances (LOF-style, Breunig et al. 2000)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus)
    {
        if (neighbours.Count < k || Distance(neighbours, k) is not { } own)
        {
            return null;
        }

        double sum = 0;
        var n = 0;
        for (var i = 0; i < k; i++)
        {
            if (Distance(corpus.Of(neighbours[i].Id), k) is { } theirs)
            {
                sum += theirs;
                n++;
            }
        }

        return n == 0 || sum <= 0 ? null : own / (sum / n);
    }

    private double? Distance(IReadOnlyList<Near>? list, int k) => mean ? MeanDistanceOf(list, k) : NearestDistanceOf(list);
}

/// <summary>
/// The paper's distance to earlier work relative to how far its k neighbours sit from one another: a density
/// estimated from the neighbourhood itself, so it needs no other paper's neighbourhood.
/// </summary>
internal sealed class MutualDensityRatio(MutualDensityRatio.Own own, MutualDensityRatio.Theirs theirs) : NoveltyCandidate
{
    public enum Own { Nearest, NearestTwo, Mean }

    public enum Theirs { MeanPairwise, MeanNearest }

    public override string Name => $"{own switch { Own.Nearest => "nearest", Own.NearestTwo => "nearest-2", _ => "mean-k" }} / {(theirs == Theirs.MeanPairwise ? "mutual" : "mutual-nearest")}";

    public override string Description => $"{own switch { Own.Nearest => "(1 − s_1)", Own.NearestTwo => "(1 − (s_1 + s_2) / 2)", _ => "(1 − mean s_i)" }} / {(theirs == Theirs.MeanPairwise ? "mean pairwise distance among the k nearest earlier papers" : "mean over the k nearest earlier papers of the distance to the closest other one among them")}";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus)
    {
        if (neighbours.Count < k || k < 2)
        {
            return null;
        }

        var vectors = neighbours.Take(k).Select(n => corpus.VectorOf(n.Id)).ToArray();
        var nearest = Enumerable.Repeat(double.MaxValue, k).ToArray();
        double sum = 0;
        var pairs = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = i + 1; j < k; j++)
            {
                var d = 1 - System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], vectors[j]);
                sum += d;
                pairs++;
                nearest[i] = Math.Min(nearest[i], d);
                nearest[j] = Math.Min(nearest[j], d);
            }
        }

        var scale = theirs == Theirs.MeanPairwise ? sum / pairs : nearest.Average();
        var distance = own switch
        {
            Own.Nearest => 1 - neighbours[0].Similarity,
            Own.NearestTwo => 1 - ((neighbours[0].Similarity + neighbours[1].Similarity) / 2),
            _ => MeanDistanceOf(neighbours, k)!.Value,
        };
        return scale <= 0 ? null : distance / scale;
    }
}

/// <summary>A candidate evaluated at a fixed k (the k variant of a definition).</summary>
internal sealed class AtK(NoveltyCandidate inner, int k) : NoveltyCandidate
{
    public override string Name => $"{inner.Name} at k = {k}";

    public override string Description => $"{inner.Description}, at k = {k}";

    public override int? FixedK => k;

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) => inner.Raw(neighbours, k, corpus);
}

/// <summary>
/// The denominator of novelty/2 alone: the mean pairwise distance among the k nearest earlier papers (how spread out the
/// paper's earlier neighbourhood is). A diagnostic part, not a novelty definition: a copy of a paper in a spread-out
/// area scores high.
/// </summary>
internal sealed class MutualSpacing : NoveltyCandidate
{
    public override string Name => "mutual spacing (part of novelty/2)";

    public override string Description => "mean pairwise distance among the k nearest earlier papers (the denominator of novelty/2, a diagnostic)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) =>
        RelativeNearestDistance.Of(neighbours, k)?.Spacing;
}

/// <summary>
/// The nearest distance relative to the paper's own mean distance to its k nearest earlier papers: how much closer the
/// nearest earlier paper is than the rest of the neighbourhood. A copy scores 0; a paper equally far from all its
/// neighbours scores 1, however busy the field.
/// </summary>
internal sealed class NearestOverMean : NoveltyCandidate
{
    public override string Name => "nearest / mean-k";

    public override string Description => "(1 − s_1) / (1 − mean s_i) over the k nearest earlier papers (variant)";

    public override double? Raw(IReadOnlyList<Near> neighbours, int k, INeighbourhoods corpus) =>
        NearestDistanceOf(neighbours) is { } nearest && MeanDistanceOf(neighbours, k) is { } mean && mean > 0 ? nearest / mean : null;
}

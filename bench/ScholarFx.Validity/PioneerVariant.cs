using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>How much a later paper credits one of its k nearest earlier papers.</summary>
public enum FollowerWeight
{
    /// <summary>1/rank (the product's <c>pioneer/1</c>).</summary>
    Rank,

    /// <summary>The cosine similarity of the two papers.</summary>
    Similarity,

    /// <summary>Similarity / rank.</summary>
    RankTimesSimilarity,

    /// <summary>1 for each of the k nearest (how many later papers had it among their k nearest).</summary>
    Uniform,

    /// <summary>1 / log₂(rank + 1), the discount of DCG: flatter than 1/rank.</summary>
    LogRank,

    /// <summary>The similarity divided by the sum of the similarities of the later paper's k nearest: each later paper hands out 1 in all.</summary>
    SimilarityShare,
}

/// <summary>
/// A variant of the product's ranked followers (<c>pioneer/1</c>, <see cref="ScholarFx.Core.Scoring.Pioneer.PioneerRanking"/>)
/// computed the way the product computes it — from the earlier neighbourhoods alone, O(N·k), versions at
/// <paramref name="VersionSimilarity"/> credited to the first paper of their chain with their own value 0, ties by
/// 10⁻⁹ × the mean similarity of the k nearest earlier papers — with one thing changed at a time: the weight of a
/// follower's credit, k, or a soft version rule. With <paramref name="SoftVersionFrom"/>, a paper whose nearest earlier
/// paper (or each of its <paramref name="SoftParents"/> nearest) is s ∈ [from, version) similar keeps only
/// 1 − (s − from) / (version − from) of every credit it receives and hands the rest on to that paper's chain — which
/// gets it only if the follower is in its window too, as a version's credit goes nowhere outside its first paper's window.
/// A joined copy of two papers is such a near-version of both.
/// </summary>
/// <param name="Name">As the tables print it.</param>
/// <param name="Weight">What a follower's credit to each of its k nearest earlier papers is.</param>
/// <param name="K">How many nearest earlier papers each later paper credits.</param>
/// <param name="VersionSimilarity">Similarity of the nearest earlier paper from which a paper is a version of it.</param>
/// <param name="SoftVersionFrom">Similarity from which part of a paper's credit passes on to its nearest earlier paper; null for none.</param>
/// <param name="TieBreak">Whether exact ties are broken by the earlier density (the product's rule).</param>
/// <param name="SoftParents">How many of a paper's nearest earlier papers the soft rule passes credit on to (each its own share, at most all in total).</param>
public sealed record PioneerVariant(string Name, FollowerWeight Weight, int K = 10, double VersionSimilarity = 0.9, double? SoftVersionFrom = null, bool TieBreak = true, int SoftParents = 1)
{
    /// <summary>The variants compared with the product on papers with citations (docs/validity.md, Pioneer: attempts).</summary>
    public static IReadOnlyList<PioneerVariant> Attempts { get; } =
    [
        new("product rule re-computed (1/rank, k = 10)", FollowerWeight.Rank),
        new("1/rank, no tie-break", FollowerWeight.Rank, TieBreak: false),
        new("1/rank, k = 5", FollowerWeight.Rank, K: 5),
        new("1/rank, k = 20", FollowerWeight.Rank, K: 20),
        new("similarity, k = 10", FollowerWeight.Similarity),
        new("similarity / rank, k = 10", FollowerWeight.RankTimesSimilarity),
        new("similarity share, k = 10", FollowerWeight.SimilarityShare),
        new("1/log₂(rank + 1), k = 10", FollowerWeight.LogRank),
        new("uniform, k = 10", FollowerWeight.Uniform),
        new("uniform, k = 20", FollowerWeight.Uniform, K: 20),
        new("similarity, k = 20", FollowerWeight.Similarity, K: 20),
        new("1/log₂(rank + 1), k = 20", FollowerWeight.LogRank, K: 20),
        new("1/rank, versions from 0.85", FollowerWeight.Rank, VersionSimilarity: 0.85),
        new("1/rank, soft versions from 0.8", FollowerWeight.Rank, SoftVersionFrom: 0.8),
        new("1/rank, soft versions from 0.75", FollowerWeight.Rank, SoftVersionFrom: 0.75),
        new("similarity, soft versions from 0.8", FollowerWeight.Similarity, SoftVersionFrom: 0.8),
        new("1/log₂(rank + 1), soft versions from 0.8", FollowerWeight.LogRank, SoftVersionFrom: 0.8),
        new("1/log₂(rank + 1), k = 20, soft versions from 0.8", FollowerWeight.LogRank, K: 20, SoftVersionFrom: 0.8),
        new("1/log₂(rank + 1), k = 20, soft versions from 0.75", FollowerWeight.LogRank, K: 20, SoftVersionFrom: 0.75),
        new("1/log₂(rank + 1), k = 20, soft versions from 0.7", FollowerWeight.LogRank, K: 20, SoftVersionFrom: 0.7),
        new("similarity, k = 20, soft versions from 0.75", FollowerWeight.Similarity, K: 20, SoftVersionFrom: 0.75),
        new("1/log₂(rank + 1), k = 20, soft versions from 0.7 over two parents", FollowerWeight.LogRank, K: 20, SoftVersionFrom: 0.7, SoftParents: 2),
        new("1/log₂(rank + 1), k = 15", FollowerWeight.LogRank, K: 15),
        new("similarity, k = 20, soft versions from 0.7 over two parents", FollowerWeight.Similarity, K: 20, SoftVersionFrom: 0.7, SoftParents: 2),
        new("1/rank, soft versions from 0.7 over two parents", FollowerWeight.Rank, SoftVersionFrom: 0.7, SoftParents: 2),
    ];

    /// <summary>
    /// The attempts closest to every target at 50 copies of each kind, and the product's rule re-computed beside them
    /// (docs/validity.md, "500 copies of each kind"): the two 1/log₂(rank + 1), k = 20 rows that reach 70 % of the top
    /// decile, the soft versions around them, and the similarity weight at k = 20.
    /// </summary>
    public static IReadOnlyList<PioneerVariant> Closest { get; } =
    [
        .. Attempts.Where(v => v.Name is
            "product rule re-computed (1/rank, k = 10)"
            or "similarity, k = 20"
            or "1/log₂(rank + 1), k = 20"
            or "1/log₂(rank + 1), k = 20, soft versions from 0.8"
            or "1/log₂(rank + 1), k = 20, soft versions from 0.75"
            or "1/log₂(rank + 1), k = 20, soft versions from 0.7"
            or "similarity, k = 20, soft versions from 0.75"),
    ];

    /// <summary>Every corpus paper's raw value (null: fewer than <paramref name="minimumLater"/> later papers in its window).</summary>
    public IReadOnlyDictionary<string, double?> Raw(NoveltyEvaluation evaluation, int windowDays, int lagDays, int minimumLater = 200)
    {
        if (K > evaluation.MaxK)
        {
            throw new ArgumentOutOfRangeException(nameof(evaluation), $"{Name} needs neighbourhoods of {K}; the evaluation has {evaluation.MaxK}");
        }

        var byDate = evaluation.Corpus.OrderBy(e => e.Published).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var n = byDate.Count;
        var position = new Dictionary<string, int>(n, StringComparer.Ordinal);
        var days = new int[n];
        var nearest = new IReadOnlyList<Near>[n];
        for (var i = 0; i < n; i++)
        {
            position[byDate[i].Id] = i;
            days[i] = byDate[i].Published.DayNumber;
            nearest[i] = evaluation.Of(byDate[i].Id) ?? [];
        }

        var lag = Math.Max(1, lagDays);
        var root = new int[n];
        var parents = new List<(int Parent, double Share)>?[n];
        for (var i = 0; i < n; i++)
        {
            root[i] = i;
            if (nearest[i] is not [var first, ..] || !position.TryGetValue(first.Id, out var p) || p >= i)
            {
                continue;
            }

            if (first.Similarity >= VersionSimilarity)
            {
                root[i] = root[p];
                continue;
            }

            if (SoftVersionFrom is not { } from)
            {
                continue;
            }

            foreach (var near in nearest[i].Take(SoftParents))
            {
                if (near.Similarity >= from && position.TryGetValue(near.Id, out var q) && q < i && root[q] != i)
                {
                    (parents[i] ??= []).Add((root[q], (near.Similarity - from) / (VersionSimilarity - from)));
                }
            }

            if (parents[i] is { } list && list.Sum(x => x.Share) is var total && total > 1)
            {
                parents[i] = [.. list.Select(x => (x.Parent, x.Share / total))];
            }
        }

        bool InWindow(int paper, int follower) => days[paper] + lag <= days[follower] && days[paper] + windowDays >= days[follower];
        var credit = new double[n];
        var credited = new HashSet<int>();
        for (var j = 0; j < n; j++)
        {
            credited.Clear();
            var count = Math.Min(K, nearest[j].Count);
            var total = 0.0;
            for (var i = 0; i < count; i++)
            {
                total += nearest[j][i].Similarity;
            }

            for (var i = 0; i < count; i++)
            {
                if (!position.TryGetValue(nearest[j][i].Id, out var p) || !InWindow(root[p], j) || !credited.Add(root[p]))
                {
                    continue;
                }

                var s = nearest[j][i].Similarity;
                var amount = Weight switch
                {
                    FollowerWeight.Rank => 1.0 / (i + 1),
                    FollowerWeight.Similarity => s,
                    FollowerWeight.RankTimesSimilarity => s / (i + 1),
                    FollowerWeight.Uniform => 1.0,
                    FollowerWeight.LogRank => 1.0 / Math.Log2(i + 2),
                    _ => s / total,
                };

                Give(root[p], amount, j);
            }
        }

        // Each near-version keeps its own part of a credit and hands the rest on up its chain(s).
        void Give(int paper, double amount, int follower)
        {
            var kept = amount;
            foreach (var (parent, share) in parents[paper] ?? [])
            {
                // As for a version, a near-version's share of a follower outside its source's window goes to nobody.
                if (InWindow(parent, follower))
                {
                    Give(parent, amount * share, follower);
                }

                kept -= amount * share;
            }

            credit[paper] += kept;
        }

        var result = new Dictionary<string, double?>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var later = ScholarFx.Core.Scoring.Pioneer.PioneerRanking.UpperBound(days, days[i] + windowDays) - ScholarFx.Core.Scoring.Pioneer.PioneerRanking.UpperBound(days, days[i] + lag - 1);
            if (later < minimumLater)
            {
                result[byDate[i].Id] = null;
                continue;
            }

            var count = Math.Min(K, nearest[i].Count);
            var density = count == 0 ? 0 : nearest[i].Take(count).Average(x => (double)x.Similarity);
            result[byDate[i].Id] = root[i] != i ? 0 : (credit[i] / later) + (TieBreak ? 1e-9 * density : 0);
        }

        return result;
    }
}

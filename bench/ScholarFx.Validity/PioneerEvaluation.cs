using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.Pioneer;

namespace ScholarFx.Validity;

/// <summary>The candidate definitions of the pioneer score: how strongly the papers that came after a paper followed it.</summary>
public enum PioneerKind
{
    /// <summary>Share of the later papers of the window whose nearest earlier paper is this one.</summary>
    Followers,

    /// <summary>As <see cref="Followers"/>, but a later paper credits each of its k nearest earlier papers with 1/rank.</summary>
    RankedFollowers,

    /// <summary>Mean similarity of the k nearest later papers of the window minus that of the k nearest earlier papers.</summary>
    DensityGrowth,

    /// <summary>Mean similarity of the k nearest later papers of the window alone (how crowded the paper's area became).</summary>
    LaterDensity,

    /// <summary><see cref="RankedFollowers"/>, ties (most often: no follower) broken by <see cref="LaterDensity"/>.</summary>
    RankedFollowersThenDensity,

    /// <summary>
    /// What the product runs (<c>pioneer/1</c>, <see cref="ScholarFx.Core.Scoring.Pioneer.PioneerRanking"/>, called here):
    /// <see cref="RankedFollowers"/> with ties broken by the mean similarity of the k nearest <em>earlier</em> papers
    /// (no later search), and a version's own value 0.
    /// </summary>
    Product,
}

/// <summary>
/// Pioneer candidates on one corpus: every paper's strictly earlier neighbours come from a <see cref="NoveltyEvaluation"/>
/// (the product's index, same-work rule included); the later side is searched here, exactly, within a window after each
/// paper. A paper whose nearest earlier paper is at least <c>versionSimilarity</c> similar is taken as a version of it:
/// the credit of its followers goes to the earliest paper of the chain, so a near-copy cannot take its original's
/// followers. A paper with fewer than <c>minimumLater</c> later papers in its window has no value (null): too few later
/// papers exist yet to say who followed it.
/// </summary>
public sealed class PioneerEvaluation
{
    private readonly NoveltyEvaluation evaluation;
    private readonly IReadOnlyList<CorpusEntry> byDate;
    private readonly int windowDays;
    private readonly int k;
    private readonly int minimumLater;
    private readonly int lagDays;
    private readonly double versionSimilarity;
    private readonly Dictionary<string, string> roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> laterCount = new(StringComparer.Ordinal);

    /// <summary>Prepares the candidates over <paramref name="evaluation"/>'s corpus.</summary>
    public PioneerEvaluation(NoveltyEvaluation evaluation, int windowDays = 730, int lagDays = 0, int k = 10, double versionSimilarity = 0.9, int minimumLater = 200)
    {
        this.lagDays = lagDays;
        this.versionSimilarity = versionSimilarity;
        this.evaluation = evaluation;
        this.windowDays = windowDays;
        this.k = k;
        this.minimumLater = minimumLater;
        byDate = [.. evaluation.Corpus.OrderBy(e => e.Published).ThenBy(e => e.Id, StringComparer.Ordinal)];
        var days = byDate.Select(e => e.Published.DayNumber).ToArray();
        foreach (var e in byDate)
        {
            var first = UpperBound(days, FirstLater(e) - 1);
            var last = UpperBound(days, e.Published.AddDays(windowDays).DayNumber);
            laterCount[e.Id] = Math.Max(0, last - first);
            roots[e.Id] = evaluation.Of(e.Id) is [var nearest, ..] && nearest.Similarity >= versionSimilarity ? roots.GetValueOrDefault(nearest.Id, nearest.Id) : e.Id;
        }

        Versions = byDate.Count(e => roots[e.Id] != e.Id);
    }

    /// <summary>Papers taken as versions of an earlier paper (their followers are credited to it).</summary>
    public int Versions { get; }

    /// <summary>Days after a paper before later papers count (on a clustered time axis: the rest of its own batch does not).</summary>
    public int LagDays => lagDays;

    /// <summary>The window after a paper in which later papers count, in days.</summary>
    public int WindowDays => windowDays;

    /// <summary>Every corpus paper's raw value under a candidate (null: too few later papers yet).</summary>
    public IReadOnlyDictionary<string, double?> Raw(PioneerKind kind) => kind switch
    {
        PioneerKind.Followers => Credit(ranked: false),
        PioneerKind.RankedFollowers => Credit(ranked: true),
        PioneerKind.RankedFollowersThenDensity => ThenDensity(Credit(ranked: true), Density(growth: false)),
        PioneerKind.Product => Product(),
        _ => Density(kind == PioneerKind.DensityGrowth),
    };

    private Dictionary<string, double?> Product()
    {
        var options = new PioneerOptions { PioneerWindowDays = windowDays, PioneerLagDays = Math.Max(1, lagDays), PioneerMinimumLater = minimumLater, PioneerVersionSimilarity = versionSimilarity };
        var values = PioneerRanking.Compute(byDate, options, k, e => evaluation.Of(e.Id) ?? []);
        return values.ToDictionary(v => v.Key, v => v.Value.Raw, StringComparer.Ordinal);
    }

    private Dictionary<string, double?> Credit(bool ranked)
    {
        var credit = byDate.ToDictionary(e => e.Id, _ => 0.0, StringComparer.Ordinal);
        foreach (var follower in byDate)
        {
            var neighbours = evaluation.Of(follower.Id) ?? [];
            var credited = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(ranked ? k : 1, neighbours.Count); i++)
            {
                var root = roots.GetValueOrDefault(neighbours[i].Id, neighbours[i].Id);
                var rootEntry = evaluation.Get(root);
                if (rootEntry.Published.AddDays(windowDays) >= follower.Published && FirstLater(rootEntry) <= follower.Published.DayNumber && credited.Add(root))
                {
                    credit[root] += ranked ? 1.0 / (i + 1) : 1;
                }
            }
        }

        return byDate.ToDictionary(e => e.Id, e => laterCount[e.Id] < minimumLater ? (double?)null : credit[e.Id] / laterCount[e.Id], StringComparer.Ordinal);
    }

    // The smallest step of a credit share is 0.1 / (later papers) > 1e-6 for any window below 100,000 papers, and a
    // density is at most 1, so adding 1e-6 × density orders by credit first and breaks only exact ties.
    private static Dictionary<string, double?> ThenDensity(Dictionary<string, double?> credit, Dictionary<string, double?> density) =>
        credit.ToDictionary(c => c.Key, c => c.Value is { } v && density[c.Key] is { } d ? v + (1e-6 * d) : c.Value, StringComparer.Ordinal);

    private Dictionary<string, double?> Density(bool growth)
    {
        var days = byDate.Select(e => e.Published.DayNumber).ToArray();
        var result = new double?[byDate.Count];
        Parallel.For(0, byDate.Count, i =>
        {
            var e = byDate[i];
            if (laterCount[e.Id] < minimumLater)
            {
                return;
            }

            var first = UpperBound(days, FirstLater(e) - 1);
            var best = new PriorityQueue<float, float>();
            for (var j = first; j < first + laterCount[e.Id]; j++)
            {
                var s = e.Similarity(byDate[j]);
                best.Enqueue(s, s);
                if (best.Count > k)
                {
                    best.Dequeue();
                }
            }

            double later = 0;
            while (best.TryDequeue(out var s, out _))
            {
                later += s;
            }

            later /= k;
            if (!growth)
            {
                result[i] = later;
                return;
            }

            var earlier = evaluation.Of(e.Id);
            result[i] = earlier is null || earlier.Count < k ? null : later - earlier.Take(k).Average(n => (double)n.Similarity);
        });
        return byDate.Select((e, i) => (e.Id, Raw: result[i])).ToDictionary(x => x.Id, x => x.Raw, StringComparer.Ordinal);
    }

    /// <summary>The first day a later paper counts: the next day, or the lag after the paper.</summary>
    private int FirstLater(CorpusEntry e) => e.Published.AddDays(Math.Max(1, lagDays)).DayNumber;

    private static int UpperBound(int[] days, int day) => ScholarFx.Core.Scoring.Pioneer.PioneerRanking.UpperBound(days, day);
}

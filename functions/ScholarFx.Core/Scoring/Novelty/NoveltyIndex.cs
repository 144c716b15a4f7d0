using System.Globalization;
using System.Numerics.Tensors;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// The in-process exact nearest-neighbour index of the novelty score. Entries are kept in date order, so
/// "strictly earlier" is a prefix and needs no filter; similarity is a SIMD dot product of unit vectors
/// (System.Numerics.Tensors). Thread-safe: reads share a lock, updates take it exclusively. An approximate
/// index (USearch) or Azure AI Search can replace <see cref="Nearest"/> behind the same shape.
/// </summary>
public sealed class NoveltyIndex(NoveltyOptions options)
{
    private static readonly IComparer<CorpusEntry> Order = Comparer<CorpusEntry>.Create((a, b) =>
    {
        var byDate = a.DateKey.CompareTo(b.DateKey);
        return byDate != 0 ? byDate : string.CompareOrdinal(a.Id, b.Id);
    });

    private readonly List<CorpusEntry> byDate = [];
    private readonly Dictionary<string, CorpusEntry> byId = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);

    /// <summary>k.</summary>
    public int K => options.NoveltyNeighbours;

    /// <summary>A snapshot of every entry in date order.</summary>
    public IReadOnlyList<CorpusEntry> Snapshot()
    {
        gate.EnterReadLock();
        try
        {
            return [.. byDate];
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// Adds or replaces entries. Later papers whose neighbourhood the new entries may change (an earlier paper more
    /// similar than their k-th neighbour, fewer than k neighbours, or a replaced neighbour) are marked stale and returned.
    /// </summary>
    public IReadOnlyList<CorpusEntry> Upsert(IEnumerable<CorpusEntry> entries, bool detectStale = true)
    {
        gate.EnterWriteLock();
        try
        {
            var added = new List<CorpusEntry>();
            var earliest = int.MaxValue;
            foreach (var entry in entries)
            {
                if (byId.TryGetValue(entry.Id, out var old))
                {
                    byDate.RemoveAt(byDate.BinarySearch(old, Order));
                    earliest = Math.Min(earliest, old.DateKey);
                }

                earliest = Math.Min(earliest, entry.DateKey);

                var at = byDate.BinarySearch(entry, Order);
                byDate.Insert(at < 0 ? ~at : at, entry);
                byId[entry.Id] = entry;
                added.Add(entry);
            }

            var stale = new List<CorpusEntry>();
            if (!detectStale)
            {
                return stale;
            }

            var addedIds = added.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            // Neighbours are strictly earlier, so only papers dated after the earliest change can be affected.
            for (var i = LowerBound(earliest + 1); i < byDate.Count; i++)
            {
                var later = byDate[i];
                if (addedIds.Contains(later.Id))
                {
                    continue;
                }

                var affected = later.Neighbours.Any(n => addedIds.Contains(n.Id)) ||
                    added.Any(a => a.DateKey < later.DateKey && (later.Neighbours.Count < K || TensorPrimitives.Dot(a.Vector, later.Vector) > later.KthSimilarity));
                if (affected)
                {
                    later.Stale = true;
                    stale.Add(later);
                }
            }

            return stale;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>
    /// The k most similar strictly earlier papers, most similar first (ties by id), excluding the same work:
    /// a paper sharing an alias, or near-identical text with an overlapping author.
    /// </summary>
    public IReadOnlyList<Neighbour> Nearest(CorpusEntry paper)
    {
        gate.EnterReadLock();
        try
        {
            return NearestUnlocked(paper);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// <see cref="Nearest"/> for many papers at once through blocked matrix products (<see cref="BlockedNearest"/>):
    /// the candidates are found in bulk, then their similarities are recomputed exactly as <see cref="Nearest"/> does,
    /// so both paths give the same neighbours and values.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Neighbour>> NearestMany(IReadOnlyList<CorpusEntry> papers)
    {
        const int Margin = 4;
        gate.EnterReadLock();
        try
        {
            if (papers.Count == 0 || byDate.Count == 0)
            {
                return [.. papers.Select(_ => (IReadOnlyList<Neighbour>)[])];
            }

            var d = byDate[0].Vector.Length;
            var matrix = new float[byDate.Count * d];
            for (var i = 0; i < byDate.Count; i++)
            {
                byDate[i].Vector.CopyTo(matrix, i * d);
            }

            var queries = new float[papers.Count * d];
            var limits = new int[papers.Count];
            for (var i = 0; i < papers.Count; i++)
            {
                papers[i].Vector.CopyTo(queries, i * d);
                limits[i] = LowerBound(papers[i].DateKey);
            }

            var m = K + Margin;
            var found = BlockedNearest.Search(matrix, queries, d, limits, m);
            var result = new IReadOnlyList<Neighbour>[papers.Count];
            Parallel.For(0, papers.Count, i =>
            {
                var paper = papers[i];
                var candidates = found[i]
                    .Select(c => (Entry: byDate[c], Similarity: TensorPrimitives.Dot(paper.Vector, byDate[c].Vector)))
                    .ToList();
                var kept = candidates
                    .Where(x => !IsSameWork(paper, x.Entry, x.Similarity))
                    .OrderByDescending(x => x.Similarity).ThenBy(x => x.Entry.Id, StringComparer.Ordinal)
                    .Take(K)
                    .ToList();
                // When more candidates exist than were kept, same-work exclusions may have eaten the margin, or a tie
                // (within the kernel's rounding) at the boundary may hide an equally similar paper with a smaller id:
                // then the exact scan decides. Both are rare in real corpora.
                var ambiguous = candidates.Count == m &&
                    (kept.Count < K || kept[^1].Similarity <= candidates.Min(x => x.Similarity) + 1e-5f);
                result[i] = ambiguous
                    ? NearestUnlocked(paper)
                    : [.. kept.Select(x => ToNeighbour(x.Entry, x.Similarity))];
            });
            return result;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private static Neighbour ToNeighbour(CorpusEntry entry, float similarity) =>
        new(entry.Id, entry.Title, entry.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), similarity);

    private IReadOnlyList<Neighbour> NearestUnlocked(CorpusEntry paper)
    {
        var earlier = LowerBound(paper.DateKey);
        var best = new PriorityQueue<(CorpusEntry Entry, float Similarity), (float, string)>(K + 1, BestComparer.Instance);
        var span = paper.Vector.AsSpan();
        for (var i = 0; i < earlier; i++)
        {
            var candidate = byDate[i];
            var similarity = TensorPrimitives.Dot(span, candidate.Vector);
            if (best.Count == K && best.TryPeek(out _, out var worst) && !BestComparer.Better((similarity, candidate.Id), worst))
            {
                continue;
            }

            if (IsSameWork(paper, candidate, similarity))
            {
                continue;
            }

            best.Enqueue((candidate, similarity), (similarity, candidate.Id));
            if (best.Count > K)
            {
                best.Dequeue();
            }
        }

        return [.. best.UnorderedItems
            .Select(x => x.Element)
            .OrderByDescending(x => x.Similarity).ThenBy(x => x.Entry.Id, StringComparer.Ordinal)
            .Select(x => ToNeighbour(x.Entry, x.Similarity))];
    }

    /// <summary>
    /// <see cref="Percentile"/> of every entry with a raw value, in one date-ordered pass: Fenwick trees over the
    /// ranks of raw values hold the category windows, the all-category window and all earlier papers, so the pass
    /// costs O(N log N) instead of a window scan per paper. Gives exactly what <see cref="Percentile"/> gives.
    /// </summary>
    public IReadOnlyDictionary<string, (double? Percentile, ReferenceSet? Reference)> PercentileAll()
    {
        gate.EnterReadLock();
        try
        {
            var values = byDate.Where(e => e.Raw.HasValue).Select(e => e.Raw!.Value).Distinct().Order().ToArray();
            int Rank(double raw) => Array.BinarySearch(values, raw) + 1;
            var all = new Fenwick(values.Length);
            var window = new Fenwick(values.Length);
            var categories = new Dictionary<string, Fenwick>(StringComparer.Ordinal);
            var result = new Dictionary<string, (double?, ReferenceSet?)>(StringComparer.Ordinal);
            var windowStart = 0;
            for (var i = 0; i < byDate.Count;)
            {
                var day = byDate[i];
                var end = i;
                while (end < byDate.Count && byDate[end].DateKey == day.DateKey)
                {
                    end++;
                }

                var lowKey = day.Published.AddDays(-options.CohortDays).DayNumber;
                for (; windowStart < i && byDate[windowStart].DateKey < lowKey; windowStart++)
                {
                    if (byDate[windowStart].Raw is { } old)
                    {
                        window.Add(Rank(old), -1);
                        categories[byDate[windowStart].Category ?? ""].Add(Rank(old), -1);
                    }
                }

                for (var j = i; j < end; j++)
                {
                    var e = byDate[j];
                    if (e.Raw is not { } raw)
                    {
                        continue;
                    }

                    var rank = Rank(raw);
                    var category = e.Category is null ? null : categories.GetValueOrDefault(e.Category);
                    result[e.Id] = category is not null && category.Total >= options.MinimumCohort
                        ? (category.Percentile(rank), new ReferenceSet("category", e.Category, options.CohortDays, category.Total))
                        : window.Total >= options.MinimumCohort
                            ? (window.Percentile(rank), new ReferenceSet("all-categories", null, options.CohortDays, window.Total))
                            : all.Total > 0
                                ? (all.Percentile(rank), new ReferenceSet("all-earlier", null, null, all.Total))
                                : (null, null);
                }

                for (var j = i; j < end; j++)
                {
                    if (byDate[j].Raw is { } added)
                    {
                        var rank = Rank(added);
                        all.Add(rank, 1);
                        window.Add(rank, 1);
                        if (!categories.TryGetValue(byDate[j].Category ?? "", out var tree))
                        {
                            categories[byDate[j].Category ?? ""] = tree = new Fenwick(values.Length);
                        }

                        tree.Add(rank, 1);
                    }
                }

                i = end;
            }

            return result;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Counts by rank with prefix sums in O(log n) (a binary indexed tree).</summary>
    private sealed class Fenwick(int size)
    {
        private readonly int[] tree = new int[size + 1];

        public int Total { get; private set; }

        public void Add(int rank, int delta)
        {
            Total += delta;
            for (var i = rank; i < tree.Length; i += i & -i)
            {
                tree[i] += delta;
            }
        }

        public double? Percentile(int rank)
        {
            var below = Prefix(rank - 1);
            return CohortPercentile.FromCounts(below, Prefix(rank) - below, Total);
        }

        private int Prefix(int rank)
        {
            var sum = 0;
            for (var i = rank; i > 0; i -= i & -i)
            {
                sum += tree[i];
            }

            return sum;
        }
    }

    /// <summary>Raw novelty from neighbours: 1 − their mean similarity; null with fewer than k.</summary>
    public double? Raw(IReadOnlyList<Neighbour> neighbours) =>
        neighbours.Count < K ? null : 1.0 - neighbours.Sum(n => n.Similarity) / neighbours.Count;

    /// <summary>
    /// The historical cohort percentile of <paramref name="raw"/> for a paper of <paramref name="category"/> published
    /// on <paramref name="published"/>: among papers of the category in the window before it, the share whose raw is
    /// below, ties counted half; the set widens to all categories, then to all earlier papers, below the minimum size.
    /// </summary>
    public (double? Percentile, ReferenceSet? Reference) Percentile(double raw, string? category, DateOnly published)
    {
        gate.EnterReadLock();
        try
        {
            var end = LowerBound(published.DayNumber);
            var start = LowerBound(published.AddDays(-options.CohortDays).DayNumber);
            var window = byDate.Skip(start).Take(end - start).Where(e => e.Raw.HasValue).ToList();
            var sameCategory = category is null ? [] : window.Where(e => e.Category == category).ToList();
            if (sameCategory.Count >= options.MinimumCohort)
            {
                return (CohortPercentile.Of(raw, sameCategory.Select(e => e.Raw!.Value)), new ReferenceSet("category", category, options.CohortDays, sameCategory.Count));
            }

            if (window.Count >= options.MinimumCohort)
            {
                return (CohortPercentile.Of(raw, window.Select(e => e.Raw!.Value)), new ReferenceSet("all-categories", null, options.CohortDays, window.Count));
            }

            var all = byDate.Take(end).Where(e => e.Raw.HasValue).Select(e => e.Raw!.Value).ToList();
            return all.Count == 0
                ? (null, null)
                : (CohortPercentile.Of(raw, all), new ReferenceSet("all-earlier", null, null, all.Count));
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Drops every entry (before a reload).</summary>
    public void Clear()
    {
        gate.EnterWriteLock();
        try
        {
            byDate.Clear();
            byId.Clear();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private bool IsSameWork(CorpusEntry paper, CorpusEntry candidate, float similarity) =>
        candidate.Aliases.Overlaps(paper.Aliases) ||
        (similarity >= options.SameWorkSimilarity && candidate.AuthorIds.Overlaps(paper.AuthorIds));

    /// <summary>Index of the first entry dated on or after <paramref name="dateKey"/> (a <see cref="DateOnly.DayNumber"/>).</summary>
    private int LowerBound(int dateKey)
    {
        int lo = 0, hi = byDate.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (byDate[mid].DateKey < dateKey)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Orders the heap so the worst kept neighbour (lowest similarity, then highest id) leaves first.</summary>
    private sealed class BestComparer : IComparer<(float Similarity, string Id)>
    {
        public static readonly BestComparer Instance = new();

        public static bool Better((float Similarity, string Id) a, (float Similarity, string Id) b) =>
            a.Similarity > b.Similarity || (a.Similarity == b.Similarity && string.CompareOrdinal(a.Id, b.Id) < 0);

        public int Compare((float Similarity, string Id) x, (float Similarity, string Id) y) =>
            Better(x, y) ? 1 : Better(y, x) ? -1 : 0;
    }
}

/// <summary>The historical cohort percentile (DESIGN.md, Scores): <c>100 × (below + 0.5 × equal) / n</c>, one decimal, half away from zero.</summary>
public static class CohortPercentile
{
    /// <summary>The percentile of <paramref name="value"/> among <paramref name="reference"/>; 0 values give null.</summary>
    public static double? Of(double value, IEnumerable<double> reference)
    {
        long below = 0, equal = 0, n = 0;
        foreach (var r in reference)
        {
            n++;
            if (r == value)
            {
                equal++;
            }
            else if (r < value)
            {
                below++;
            }
        }

        return FromCounts(below, equal, n);
    }

    /// <summary>The percentile from counts of values below and equal among <paramref name="n"/>.</summary>
    public static double? FromCounts(long below, long equal, long n) =>
        // decimal arithmetic so a share that is exactly x.x5 rounds away from zero, not by binary error.
        n == 0 ? null : (double)Math.Round(100m * (below + (0.5m * equal)) / n, 1, MidpointRounding.AwayFromZero);
}

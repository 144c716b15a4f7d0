namespace ScholarFx.Core.Scoring;

/// <summary>A scored paper as a calibration sees it: when, in which category, and its raw value (null when it has none).</summary>
public interface ICohortMember
{
    string Id { get; }
    DateOnly Published { get; }
    string? Category { get; }
    double? Raw { get; }
}

/// <summary>The cohort rule: the window before a paper, and the smallest reference set before it widens.</summary>
public sealed record CohortRule(int WindowDays, int MinimumSize);

/// <summary>Which papers a percentile was taken among.</summary>
public sealed record ReferenceSet(string Set, string? Category, int? WindowDays, int Size);

/// <summary>
/// The historical cohort percentile (docs/architecture.md, Scores), shared by novelty and the AI score: among papers of the
/// paper's primary category published in the window before it, the share whose raw value is below, ties counted
/// half; below the minimum size the set widens to all categories in the window, then to all earlier papers.
/// Members are given in date order, so "before" is a prefix found by binary search.
/// </summary>
public static class HistoricalCohort
{
    /// <summary>
    /// The percentile of <paramref name="raw"/> for a paper of <paramref name="category"/> published on
    /// <paramref name="published"/>; <paramref name="extra"/> members (a batch not yet in the set, in any order) count too.
    /// </summary>
    public static (double? Percentile, ReferenceSet? Reference) Percentile<T>(IReadOnlyList<T> byDate, CohortRule rule, double raw, string? category, DateOnly published, IReadOnlyList<ICohortMember>? extra = null)
        where T : ICohortMember
    {
        var end = LowerBound(byDate, published.DayNumber);
        var start = LowerBound(byDate, published.AddDays(-rule.WindowDays).DayNumber);
        var window = new List<double>();
        var sameCategory = new List<double>();
        var earlierExtra = new List<double>();
        void Count(ICohortMember member)
        {
            if (member.Raw is { } r)
            {
                window.Add(r);
                if (category is not null && member.Category == category)
                {
                    sameCategory.Add(r);
                }
            }
        }

        for (var i = start; i < end; i++)
        {
            Count(byDate[i]);
        }

        var from = published.AddDays(-rule.WindowDays);
        foreach (var member in extra ?? [])
        {
            if (member.Published < published && member.Raw is { } r)
            {
                earlierExtra.Add(r);
                if (member.Published >= from)
                {
                    Count(member);
                }
            }
        }

        if (sameCategory.Count >= rule.MinimumSize)
        {
            return (CohortPercentile.Of(raw, sameCategory), new ReferenceSet("category", category, rule.WindowDays, sameCategory.Count));
        }

        if (window.Count >= rule.MinimumSize)
        {
            return (CohortPercentile.Of(raw, window), new ReferenceSet("all-categories", null, rule.WindowDays, window.Count));
        }

        var all = earlierExtra;
        for (var i = 0; i < end; i++)
        {
            if (byDate[i].Raw is { } r)
            {
                all.Add(r);
            }
        }

        return all.Count == 0 ? (null, null) : (CohortPercentile.Of(raw, all), new ReferenceSet("all-earlier", null, null, all.Count));
    }

    /// <summary>
    /// <see cref="Percentile"/> of every member with a raw value, in one date-ordered pass: Fenwick trees over the
    /// ranks of raw values hold the category windows, the all-category window and all earlier papers, so the pass
    /// costs O(N log N) instead of a window scan per paper. Gives exactly what <see cref="Percentile"/> gives.
    /// </summary>
    public static Dictionary<string, (double? Percentile, ReferenceSet? Reference)> PercentileAll<T>(IReadOnlyList<T> byDate, CohortRule rule)
        where T : ICohortMember
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
            var day = byDate[i].Published;
            var end = i;
            while (end < byDate.Count && byDate[end].Published == day)
            {
                end++;
            }

            var lowKey = day.AddDays(-rule.WindowDays).DayNumber;
            for (; windowStart < i && byDate[windowStart].Published.DayNumber < lowKey; windowStart++)
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
                result[e.Id] = category is not null && category.Total >= rule.MinimumSize
                    ? (category.Percentile(rank), new ReferenceSet("category", e.Category, rule.WindowDays, category.Total))
                    : window.Total >= rule.MinimumSize
                        ? (window.Percentile(rank), new ReferenceSet("all-categories", null, rule.WindowDays, window.Total))
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

    /// <summary>Index of the first member published on or after the day <paramref name="dayNumber"/> (a <see cref="DateOnly.DayNumber"/>).</summary>
    public static int LowerBound<T>(IReadOnlyList<T> byDate, int dayNumber)
        where T : ICohortMember
    {
        int lo = 0, hi = byDate.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (byDate[mid].Published.DayNumber < dayNumber)
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
}

/// <summary>The historical cohort percentile (docs/architecture.md, Scores): <c>100 × (below + 0.5 × equal) / n</c>, one decimal, half away from zero.</summary>
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

/// <summary>
/// A thread-safe, date-ordered set of raw values to rank new ones against: the calibration of a score whose raw
/// values do not come from the novelty index (the AI score keeps one per model + prompt version).
/// </summary>
public sealed class CalibrationSet(CohortRule rule)
{
    private readonly List<CalibrationEntry> byDate = [];
    private readonly Dictionary<string, CalibrationEntry> byId = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Members with a raw value.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return byDate.Count;
            }
        }
    }

    /// <summary>Adds or replaces a paper's raw value; a null raw removes the paper.</summary>
    public void Set(string id, DateOnly published, string? category, double? raw) => SetMany([(id, published, category, raw)]);

    /// <summary><see cref="Set"/> for many papers, in order (the last value of an id wins), as one change of the list.</summary>
    public void SetMany(IReadOnlyList<(string Id, DateOnly Published, string? Category, double? Raw)> members)
    {
        lock (gate)
        {
            var latest = new Dictionary<string, CalibrationEntry?>(StringComparer.Ordinal);
            var removed = new List<CalibrationEntry>();
            foreach (var (id, published, category, raw) in members)
            {
                if (byId.Remove(id, out var old))
                {
                    removed.Add(old);
                }

                latest[id] = raw is null ? null : new CalibrationEntry(id, published, category, raw);
            }

            var added = latest.Values.OfType<CalibrationEntry>().ToList();
            DateOrder.Replace(byDate, removed, added);
            foreach (var entry in added)
            {
                byId[entry.Id] = entry;
            }
        }
    }

    /// <summary>The raw value of a member, or null.</summary>
    public double? RawOf(string id)
    {
        lock (gate)
        {
            return byId.GetValueOrDefault(id)?.Raw;
        }
    }

    /// <inheritdoc cref="HistoricalCohort.Percentile"/>
    public (double? Percentile, ReferenceSet? Reference) Percentile(double raw, string? category, DateOnly published, IReadOnlyList<ICohortMember>? extra = null)
    {
        lock (gate)
        {
            return HistoricalCohort.Percentile(byDate, rule, raw, category, published, extra);
        }
    }

    /// <inheritdoc cref="HistoricalCohort.PercentileAll"/>
    public Dictionary<string, (double? Percentile, ReferenceSet? Reference)> PercentileAll()
    {
        lock (gate)
        {
            return HistoricalCohort.PercentileAll(byDate, rule);
        }
    }

    private sealed record CalibrationEntry(string Id, DateOnly Published, string? Category, double? Raw) : ICohortMember;
}

/// <summary>A paper with a raw value that is not (yet) in a cohort's set: a batch being scored.</summary>
public sealed record CohortCandidate(string Id, DateOnly Published, string? Category, double? Raw) : ICohortMember;

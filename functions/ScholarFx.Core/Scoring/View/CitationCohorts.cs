namespace ScholarFx.Core.Scoring.View;

/// <summary>
/// The citation counts of the corpus, sorted, per primary category and publication year and per year: what a paper's
/// citation percentile is taken among (<see cref="Percentile"/>). An immutable snapshot of the view.
/// </summary>
public sealed class CitationCohorts
{
    private readonly Dictionary<(string? Category, int Year), int[]> byCategoryYear;
    private readonly Dictionary<int, int[]> byYear;

    private CitationCohorts(Dictionary<(string?, int), int[]> byCategoryYear, Dictionary<int, int[]> byYear) =>
        (this.byCategoryYear, this.byYear) = (byCategoryYear, byYear);

    /// <summary>No papers at all.</summary>
    public static CitationCohorts Empty { get; } = new([], []);

    /// <summary>Papers counted.</summary>
    public int Papers => byYear.Values.Sum(v => v.Length);

    /// <summary>The cohorts of these papers' (category, year, citations).</summary>
    public static CitationCohorts From(IEnumerable<(string? Category, int Year, int Citations)> papers)
    {
        var categoryYear = new Dictionary<(string?, int), List<int>>();
        var year = new Dictionary<int, List<int>>();
        foreach (var (category, y, citations) in papers)
        {
            (categoryYear.TryGetValue((category, y), out var a) ? a : categoryYear[(category, y)] = []).Add(citations);
            (year.TryGetValue(y, out var b) ? b : year[y] = []).Add(citations);
        }

        return new CitationCohorts(
            categoryYear.ToDictionary(e => e.Key, e => Sorted(e.Value)),
            year.ToDictionary(e => e.Key, e => Sorted(e.Value)));
    }

    /// <summary>
    /// The percentile of a paper's citations among the papers of its primary category and publication year (the paper
    /// among them), or, when fewer than <paramref name="minimumSize"/> have counts, among every paper of that year;
    /// null (with the reason) when the paper is the only one of its year with a count. The reference set says which and
    /// how many.
    /// </summary>
    public (double? Percentile, ReferenceSet? Reference, string? Reason) Percentile(string? category, int year, int citations, int minimumSize)
    {
        if (byCategoryYear.TryGetValue((category, year), out var same) && same.Length >= minimumSize)
        {
            return (Of(same, citations), new ReferenceSet("category-year", category, null, same.Length), null);
        }

        return byYear.TryGetValue(year, out var all) && all.Length >= 2
            ? (Of(all, citations), new ReferenceSet("year", null, null, all.Length), null)
            : (null, null, $"no other paper published in {year} has a citation count to compare with");
    }

    private static double? Of(int[] sorted, int value)
    {
        var below = LowerBound(sorted, value);
        var equal = LowerBound(sorted, value + 1L) - below;
        return CohortPercentile.FromCounts(below, equal, sorted.Length);
    }

    private static int LowerBound(int[] sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
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

    private static int[] Sorted(List<int> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}

using System.Diagnostics;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Bench;

/// <summary>
/// Novelty of every paper of a corpus from scratch (what a full rescore computes): k = 10 strictly-earlier neighbours
/// by blocked exact search, then every cohort percentile in one pass. Vectors are SYNTHETIC (384-dimensional unit
/// vectors in topic clusters), not MiniLM encodings: encoding 100k abstracts takes hours on this machine.
/// Baseline in the same process: the per-paper scan (NoveltyIndex.Nearest) on a sample of the latest papers.
/// </summary>
internal static class NoveltyBench
{
    public static void Run(int papers)
    {
        Console.WriteLine($"  SIMD: Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}, AVX-512F {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}");
        var entries = Generate(papers, seed: 1);
        var index = new NoveltyIndex(new NoveltyOptions());
        index.Upsert(entries, detectStale: false);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // The raw kernel alone (candidate selection), to separate it from exact re-ranking and fallbacks.
        var sorted = index.Snapshot();
        var dates = sorted.Select(s => s.Published).ToArray();
        var limits = entries.Select(e => LowerBound(dates, e.Published)).ToArray();
        var matrix = papers <= 20_000 ? entries.SelectMany(e => e.Vector).ToArray() : [];
        if (papers <= 20_000)
        {
            var kernelWatch = Stopwatch.StartNew();
            BlockedNearest.Search([.. sorted.Select(e => e.Vector)], matrix, 384, limits, 14);
            Console.WriteLine($"  kernel only (candidate selection, before exact re-ranking): {kernelWatch.Elapsed.TotalSeconds:F2} s");
        }

        var watch = Stopwatch.StartNew();
        var neighbours = index.NearestMany(entries);
        var search = watch.Elapsed;
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Nearest = neighbours[i];
            entries[i].Raw = index.Raw(neighbours[i]);
        }

        watch.Restart();
        var ranked = index.PercentileAll();
        var percentiles = watch.Elapsed;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;

        // Baseline: the one-query-at-a-time scan on the 200 latest papers (the longest prefixes), scaled per query.
        var sample = entries.OrderByDescending(e => e.Published).Take(200).ToList();
        watch.Restart();
        foreach (var e in sample)
        {
            index.Nearest(e);
        }

        var perQueryScan = watch.Elapsed.TotalMilliseconds / sample.Count;
        var sampleBulk = Stopwatch.StartNew();
        index.NearestMany(sample);
        var perQueryBulk = sampleBulk.Elapsed.TotalMilliseconds / sample.Count;

        Console.WriteLine($"novelty from scratch, {papers:N0} synthetic 384-d papers, k=10:");
        Console.WriteLine($"  blocked exact search {search.TotalSeconds:F1} s; all percentiles {percentiles.TotalSeconds:F2} s; total {(search + percentiles).TotalSeconds:F1} s");
        Console.WriteLine($"  peak working set {peak / (1024.0 * 1024 * 1024):F2} GiB (vectors and index {before / (1024.0 * 1024):F0} MiB)");
        Console.WriteLine($"  latest 200 papers: per-paper scan {perQueryScan:F2} ms/paper vs blocked {perQueryBulk:F2} ms/paper ({perQueryScan / perQueryBulk:F1}x)");
        Console.WriteLine($"  scored {ranked.Count(r => r.Value.Percentile.HasValue):N0} of {papers:N0}");
    }

    /// <summary>Topic clusters opened over five years, 384-d unit vectors; clearly synthetic.</summary>
    public static List<CorpusEntry> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var topics = Math.Max(10, count / 100);
        var centres = Enumerable.Range(0, topics).Select(_ => Unit(random, 384)).ToArray();
        var categories = new[] { "cs.LG", "cs.CL", "cs.CV", "stat.ML", "hep-th", "quant-ph" };
        var start = new DateOnly(2021, 1, 1);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var topic = random.Next(topics);
            var vector = centres[topic].Select(x => x + (float)(0.6 * (random.NextDouble() - 0.5) / Math.Sqrt(384) * 3)).ToArray();
            return new CorpusEntry
            {
                Id = $"synthetic:{i}",
                Published = start.AddDays(random.Next(5 * 365)),
                Category = categories[topic % categories.Length],
                AliasKeys = WorkKeys.Of([$"synthetic:{i}"]),
                AuthorKeys = WorkKeys.Of([$"author-{random.Next(count / 5 + 1)}"]),
                Vector = VectorMath.Normalise(vector),
            };
        })];
    }

    private static int LowerBound(DateOnly[] dates, DateOnly date)
    {
        int lo = 0, hi = dates.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (dates[mid] < date)
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

    private static float[] Unit(Random random, int d) =>
        VectorMath.Normalise([.. Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5))]);
}

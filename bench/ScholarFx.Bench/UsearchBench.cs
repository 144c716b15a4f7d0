using System.Diagnostics;
using Cloud.Unum.USearch;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Bench;

/// <summary>
/// The same "k nearest strictly earlier papers" search with USearch HNSW (approximate) next to the exact blocked
/// search, on the synthetic corpus of <see cref="NoveltyBench"/>: papers are added in date order and each day's papers
/// are searched before they are added, so only earlier papers are found. Recall@10 against the exact neighbours.
/// </summary>
internal static class UsearchBench
{
    public static void Run(int papers)
    {
        const int K = 10;
        var entries = NoveltyBench.Generate(papers, seed: 1).OrderBy(e => e.Published).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var index = new NoveltyIndex(new NoveltyOptions { NoveltyNeighbours = K });
        index.Upsert(entries, detectStale: false);
        var exactWatch = Stopwatch.StartNew();
        var exact = index.NearestMany(entries);
        var exactTime = exactWatch.Elapsed;

        foreach (var (connectivity, expansion) in new[] { (16, 64), (16, 128), (32, 256) })
        {
            using var hnsw = new USearchIndex(MetricKind.Cos, ScalarKind.Float32, 384, (ulong)connectivity, (ulong)expansion, (ulong)expansion, false);
            var found = new List<ulong>[entries.Count];
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < entries.Count;)
            {
                var end = i;
                while (end < entries.Count && entries[end].Published == entries[i].Published)
                {
                    end++;
                }

                for (var j = i; j < end; j++)
                {
                    found[j] = [];
                    if (hnsw.Size() > 0)
                    {
                        var count = hnsw.Search(entries[j].Vector, K, out var keys, out _);
                        found[j] = [.. keys.Take(count)];
                    }
                }

                for (var j = i; j < end; j++)
                {
                    hnsw.Add((ulong)j, entries[j].Vector);
                }

                i = end;
            }

            var time = watch.Elapsed;
            double hits = 0, total = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var truth = exact[i].Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
                if (truth.Count < K)
                {
                    continue;
                }

                hits += found[i].Count(key => truth.Contains(entries[(int)key].Id));
                total += K;
            }

            Console.WriteLine($"| USearch HNSW M={connectivity}, ef={expansion} ({hnsw.HardwareAcceleration()}) | {papers:N0} | {time.TotalSeconds:F1} s | {hits / total:P1} |");
        }

        Console.WriteLine($"| exact blocked search (ScholarFx) | {papers:N0} | {exactTime.TotalSeconds:F1} s | 100 % |");
    }
}

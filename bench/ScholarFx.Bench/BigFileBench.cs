using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScholarFx.Core;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;
using ScholarFx.TestSupport;

namespace ScholarFx.Bench;

/// <summary>
/// Issue 5: a JSON Lines blob of the given size, generated line by line straight into an in-memory Azurite (never
/// whole in memory), ingested through the product's pipeline with the TEST hashing embedder (MiniLM would take
/// hours at this size; the point is streaming and memory, not scores). Prints progress, papers/s and the
/// process's peak working set.
/// </summary>
internal static class BigFileBench
{
    private const string BlobName = "bigfile.jsonl";

    public static async Task RunAsync(int mebibytes, int recordKibibytes)
    {
        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        await using var azurite = await AzuriteProcess.StartAsync(root, location: null);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Ingest:ProgressEvery"] = "200",
        });
        // Progress is the ingest's own log line ("Ingesting {Blob}: {Records} records read"); the rest stays quiet.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter(typeof(IngestService).FullName, LogLevel.Information);
        builder.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>();
        builder.AddScholarFx();
        using var host = builder.Build();
        var storage = host.Services.GetRequiredService<ScholarFxStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        Console.WriteLine($"bigfile: {mebibytes} MiB of ScholarFx JSON Lines, records of about {recordKibibytes} KiB; embedder: {host.Services.GetRequiredService<ITextEmbedder>().Model} (TEST embedder, not MiniLM)");

        var watch = Stopwatch.StartNew();
        var lines = await GenerateAsync(storage.Abstracts.GetBlockBlobClient(BlobName), (long)mebibytes * 1024 * 1024, recordKibibytes * 1024);
        Console.WriteLine($"generated {lines:N0} lines in {watch.Elapsed.TotalSeconds:F0} s; peak working set so far {Mib(Process.GetCurrentProcess().PeakWorkingSet64)} MiB");

        var ingest = host.Services.GetRequiredService<IIngestService>();
        watch.Restart();
        using var memory = new Timer(_ =>
        {
            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"  after {watch.Elapsed.TotalSeconds:F0} s: working set {Mib(self.WorkingSet64)} MiB, peak {Mib(self.PeakWorkingSet64)} MiB");
        }, null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        var receipt = await ingest.IngestAsync(BlobName, CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        var stored = receipt.PapersCreated + receipt.PapersUpdated + receipt.PapersMerged + receipt.PapersUnchanged;
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"receipt: {receipt.Status}, {receipt.RecordsRead:N0} read, {receipt.PapersCreated:N0} created, {receipt.RecordsRejected} rejected");
        Console.WriteLine($"ingest: {seconds:F0} s, {stored / seconds:F1} papers/s, {mebibytes / seconds:F2} MiB/s (test embedder)");
        Console.WriteLine($"peak working set: {Mib(self.PeakWorkingSet64)} MiB (target < 500 MiB); managed heap now {Mib(GC.GetTotalMemory(false))} MiB; Azurite CPU {azurite.CpuTime.TotalSeconds:F0} s");
    }

    /// <summary>Writes papers to the blob until it reaches <paramref name="bytes"/>; returns the number of lines.</summary>
    private static async Task<long> GenerateAsync(BlockBlobClient blob, long bytes, int recordBytes)
    {
        await using var output = await blob.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = 4 * 1024 * 1024 });
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024);
        var words = new[] { "graph", "transformer", "attention", "sparse", "kernel", "bound", "convex", "sample", "robust", "causal", "latent", "policy", "gradient", "spectral", "quantum", "protein" };
        var text = new StringBuilder();
        long written = 0, line = 0;
        while (written < bytes)
        {
            text.Clear();
            var random = new Random((int)line);
            while (text.Length < recordBytes - 300)
            {
                text.Append(words[random.Next(words.Length)]).Append(' ');
            }

            // Dates rise with the line, as in a feed, so no paper is earlier than one already stored (no backfill).
            var json = JsonSerializer.Serialize(new
            {
                id = $"sfx:big-{line}",
                title = $"Big file paper {line} on {words[random.Next(words.Length)]} {words[random.Next(words.Length)]}",
                authors = new[] { $"Big Author {line}", $"Pool Author {line % 5000}" },
                categories = new[] { "cs.LG" },
                published = new DateOnly(2000, 1, 1).AddDays((int)(line / 50)).ToString("yyyy-MM-dd"),
                @abstract = text.ToString(),
                citations = (int)(line % 40),
            });
            await writer.WriteAsync(json);
            await writer.WriteAsync('\n');
            written += Encoding.UTF8.GetByteCount(json) + 1;
            if (++line % 20_000 == 0)
            {
                Console.WriteLine($"  generating: {line:N0} lines, {written / (1024 * 1024):N0} MiB");
            }
        }

        return line;
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// GET /api/profiles/{id} through the LocalHost over HTTP versus a raw Azurite point read of the same aggregate row,
/// both sequential, in one process against one in-memory Azurite.
/// </summary>
internal static class ProfileReadBench
{
public static async Task RunAsync(int requests)
{
var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
await using var azurite = await AzuriteProcess.StartAsync(root, location: null);

var started = Stopwatch.StartNew();
var app = LocalFunctionHost.Build([], root, new Dictionary<string, string?>
{
    ["AzureWebJobsStorage"] = azurite.ConnectionString,
    ["urls"] = "http://127.0.0.1:0",
    ["LocalHost:BlobPollInterval"] = "00:00:00.100",
    ["Logging:LogLevel:Default"] = "Warning",
});
await app.StartAsync();
using var http = new HttpClient { BaseAddress = LocalFunctionHost.BaseAddress(app) };
while ((await http.GetAsync("/api/health")).StatusCode != HttpStatusCode.OK)
{
    await Task.Delay(10);
}

var firstOk = started.Elapsed;
var storage = app.Services.GetRequiredService<ScholarFxStorage>();
await LocalFunctionHost.UploadSamplesAsync(storage, root, CancellationToken.None);
while ((await http.GetAsync("/api/profiles/boyu-shi")).StatusCode != HttpStatusCode.OK)
{
    await Task.Delay(50);
}

var samplesServed = started.Elapsed;
var table = new TableClient(azurite.ConnectionString, StorageNames.AuthorsTable);

// Warm both paths first (JIT, connection pools).
for (var i = 0; i < 50; i++)
{
    await http.GetStringAsync("/api/profiles/boyu-shi");
    await table.GetEntityAsync<TableEntity>("boyu-shi", AuthorStore.AggregateRowKey("boyu-shi"));
}

var api = await TimeAsync(requests, async () => (await http.GetAsync("/api/profiles/boyu-shi")).EnsureSuccessStatusCode());
var raw = await TimeAsync(requests, () => table.GetEntityAsync<TableEntity>("boyu-shi", AuthorStore.AggregateRowKey("boyu-shi")));

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd}");
Console.WriteLine($"in-process LocalHost start to first 200 (/api/health): {firstOk.TotalMilliseconds:F0} ms; samples ingested and profile served: {samplesServed.TotalMilliseconds:F0} ms");
Console.WriteLine($"| path | requests | p50 ms | p99 ms | mean ms |");
Console.WriteLine($"| --- | --- | --- | --- | --- |");
Console.WriteLine(Row("GET /api/profiles/boyu-shi (LocalHost, HTTP)", api));
Console.WriteLine(Row("raw Azurite point read of the aggregate row", raw));
Console.WriteLine($"ratio p50 API / raw: {Latency.Percentile(api, 50) / Latency.Percentile(raw, 50):F2}; p99: {Latency.Percentile(api, 99) / Latency.Percentile(raw, 99):F2}");
await app.StopAsync();
}

static async Task<double[]> TimeAsync(int count, Func<Task> action)
{
    var times = new double[count];
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        await action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    return times;
}

static string Row(string name, double[] sorted) =>
    $"| {name} | {sorted.Length} | {Latency.Percentile(sorted, 50):F2} | {Latency.Percentile(sorted, 99):F2} | {sorted.Average():F2} |";
}

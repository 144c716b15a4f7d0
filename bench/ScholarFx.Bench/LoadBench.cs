using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// Issue 12's load run: the LocalHost (in this process, Azurite in memory) serving <c>GET /api/profiles/{id}</c> over
/// 1,000 profiles at a fixed arrival rate (open loop: a request starts every 1/rate seconds whether or not the ones
/// before have answered, as independent users would) for the given time; then raw Azurite point reads of the same
/// aggregate rows at the same rate in the same run. Reports errors, p50/p99/max of each and their ratio.
/// </summary>
internal static class LoadBench
{
    public static async Task RunAsync(int seconds, int rate, int profiles)
    {
        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        await using var azurite = await AzuriteProcess.StartAsync(root, location: null);
        var app = BuildHost(root, azurite.ConnectionString);
        // The floor of the HTTP hop: the same Kestrel pipeline answering a fixed profile body from memory, no function
        // and no storage. The API's latency is roughly this hop plus a point read.
        byte[] fixedBody = [];
        app.MapGet("/bench/fixed", () => Microsoft.AspNetCore.Http.Results.Bytes(fixedBody, "application/json"));
        await app.StartAsync();
        try
        {
            var ids = await SeedAsync(app, profiles);
            using var http = Client(app);
            var table = new TableClient(azurite.ConnectionString, StorageNames.AuthorsTable);
            fixedBody = await http.GetByteArrayAsync("/api/profiles/" + Uri.EscapeDataString(ids[0]));

            // Warm both paths (JIT, connection pools) for a few seconds at a low rate.
            await DriveAsync(3, 50, i => GetAsync(http, ids[i % ids.Count]));
            await DriveAsync(3, 50, i => ReadAsync(table, ids[i % ids.Count], null));

            var api = await DriveAsync(seconds, rate, i => GetAsync(http, ids[i % ids.Count]));
            var raw = await DriveAsync(Math.Max(10, seconds / 3), rate, i => ReadAsync(table, ids[i % ids.Count], null));
            var rawProfile = await DriveAsync(Math.Max(10, seconds / 3), rate, i => ReadAsync(table, ids[i % ids.Count], ProfileColumns));
            var store = app.Services.GetRequiredService<IAuthorStore>();
            var appRead = await DriveAsync(Math.Max(10, seconds / 3), rate, async i => await store.GetProfileJsonAsync(ids[i % ids.Count], CancellationToken.None) is not null);
            var hop = await DriveAsync(Math.Max(10, seconds / 3), rate, async _ =>
            {
                using var response = await http.GetAsync("/bench/fixed", HttpCompletionOption.ResponseContentRead);
                return response.StatusCode == HttpStatusCode.OK;
            });

            Console.WriteLine($"{ids.Count} profiles; open loop at {rate} requests/s");
            Console.WriteLine("| path | seconds | requests | errors | achieved req/s | p50 ms | p99 ms | max ms | GC pauses |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(api.Row("GET /api/profiles/{id} (LocalHost over HTTP)"));
            Console.WriteLine(raw.Row("raw Azurite point read of the whole aggregate row"));
            Console.WriteLine(rawProfile.Row("raw Azurite point read of the profile columns (what the API reads)"));
            Console.WriteLine(appRead.Row("the app's own profile read (IAuthorStore.GetProfileJsonAsync: its configured clients, no HTTP)"));
            Console.WriteLine(hop.Row("the same Kestrel answering a fixed profile body (HTTP hop alone, no storage)"));
            Console.WriteLine($"p50 API / raw: {api.P(50) / raw.P(50):F2}; p99 API / raw: {api.P(99) / raw.P(99):F2} (target at most 1.5); against the profile-columns read: p50 {api.P(50) / rawProfile.P(50):F2}, p99 {api.P(99) / rawProfile.P(99):F2}");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>The LocalHost on a free port over the given storage, quiet, polling <c>abstracts</c> every 200 ms; settings on top.</summary>
    internal static WebApplication BuildHost(string root, string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["LocalHost:BlobPollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return LocalFunctionHost.Build([], root, all);
    }

    /// <summary>A client for a bench host: many connections, long-lived.</summary>
    internal static HttpClient Client(WebApplication app) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = LocalFunctionHost.BaseAddress(app),
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>One file of papers, three authors each, so every author has three papers; returns the author ids once served.</summary>
    internal static async Task<List<string>> SeedAsync(Microsoft.AspNetCore.Builder.WebApplication app, int authors)
    {
        var storage = app.Services.GetRequiredService<ScholarFxStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        string Name(int i) => $"Load Author{i:D4} Person";
        var lines = Enumerable.Range(0, authors).Select(i => System.Text.Json.JsonSerializer.Serialize(new
        {
            id = $"sfx:load-{i}",
            title = $"Load paper {i} on measured request latency",
            authors = new[] { Name(i), Name((i + 1) % authors), Name((i + 2) % authors) },
            categories = new[] { i % 2 == 0 ? "cs.CL" : "cs.CV" },
            published = new DateOnly(2020, 1, 1).AddDays(i).ToString("yyyy-MM-dd"),
            @abstract = $"We measure how long a profile request takes when many arrive at once, case {i}.",
            citations = i % 17,
        }));
        var watch = Stopwatch.StartNew();
        await storage.Abstracts.GetBlobClient("load.jsonl").UploadAsync(BinaryData.FromString(string.Join('\n', lines) + "\n"), overwrite: true);
        var receipts = app.Services.GetRequiredService<IReceiptQueries>();
        while ((await receipts.GetAsync("load.jsonl", CancellationToken.None))?.Latest?.IsFinal != true)
        {
            await Task.Delay(500);
        }

        Console.WriteLine($"seeded {authors} papers by {authors} authors in {watch.Elapsed.TotalSeconds:F0} s (MiniLM embedding included)");
        return [.. Enumerable.Range(0, authors).Select(i => AuthorKey.FromName(Name(i)))];
    }

    internal static async Task<bool> GetAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync("/api/profiles/" + Uri.EscapeDataString(id), HttpCompletionOption.ResponseContentRead);
        return response.StatusCode == HttpStatusCode.OK;
    }

    // The columns GET /api/profiles/{id} reads (AuthorStore.GetProfileJsonAsync).
    private static readonly string[] ProfileColumns = ["ContentTag", .. Enumerable.Range(0, 15).Select(i => "Profile" + i)];

    private static async Task<bool> ReadAsync(TableClient table, string id, string[]? columns) =>
        (await table.GetEntityAsync<TableEntity>(id, AuthorStore.AggregateRowKey(id), columns)).Value is not null;

    /// <summary>Starts request i at i / rate seconds for <paramref name="seconds"/>, without waiting for earlier ones.</summary>
    internal static async Task<Result> DriveAsync(int seconds, int rate, Func<int, Task<bool>> request)
    {
        var total = seconds * rate;
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var inFlight = new List<Task>(total);
        var pausedBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        var gen0Before = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var n = i;
            inFlight.Add(Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    if (!await request(n))
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }));
        }

        await Task.WhenAll(inFlight);
        var sorted = latencies.Order().ToArray();
        return new Result(seconds, total, errors, total / clock.Elapsed.TotalSeconds, sorted)
        {
            GcPause = GC.GetTotalPauseDuration() - pausedBefore,
            Gen0 = GC.CollectionCount(0) - gen0Before,
            Gen2 = GC.CollectionCount(2) - gen2Before,
        };
    }

    internal sealed record Result(int Seconds, int Requests, int Errors, double Achieved, double[] Sorted)
    {
        /// <summary>Time this process's collector paused it during the phase, and its collections (the tail's usual suspect).</summary>
        public TimeSpan GcPause { get; init; }

        public int Gen0 { get; init; }

        public int Gen2 { get; init; }

        public double P(int p) => Latency.Percentile(Sorted, p);

        public string Row(string name) =>
            $"| {name} | {Seconds} | {Requests:N0} | {Errors} | {Achieved:F0} | {P(50):F2} | {P(99):F2} | {Sorted[^1]:F1} | {GcPause.TotalMilliseconds / Seconds:F1} ms/s, {Gen0} gen0, {Gen2} gen2 |";
    }
}

using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// Issue 25's load run for bounded anonymous work: <c>GET /api/profiles/{id}</c> at a fixed arrival rate (open loop, as
/// <see cref="LoadBench"/>) alone — the baseline — and then while distinct anonymous queries by meaning
/// (<c>/api/papers?q=</c> and <c>/api/profiles?topic=</c> in turn, each from another address) arrive at a fixed rate
/// too, never waiting for earlier answers; the same again on a host whose limits are opened wide (64 at once, 100,000 a
/// minute a client), for what the bounds buy. Every phase in the same run and process; the process's working set and managed heap are
/// sampled every 50 ms. Reports each phase's profile latency as a ratio of the baseline, the queries answered and
/// refused, and the peak memory.
/// </summary>
internal static class FloodBench
{
    // Queries asked so far in the run: every query's text is new, so none is answered from the cache.
    private static int asked;

    public static async Task RunAsync(int seconds, int rate, int queryRate, int profiles)
    {
        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        await using var azurite = await AzuriteProcess.StartAsync(root, location: null);
        var bounded = LoadBench.BuildHost(root, azurite.ConnectionString);
        // Opened wide: what the process does when nothing bounds the anonymous work (same storage, papers and model).
        var open = LoadBench.BuildHost(root, azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Api:AnonymousQueryConcurrency"] = "64",
            ["Api:AnonymousQueriesPerMinute"] = "100000",
            ["LocalHost:BlobPollInterval"] = "01:00:00",
        });
        // One query computed at a time: a core left to everything else on a two-core instance.
        var single = LoadBench.BuildHost(root, azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Api:AnonymousQueryConcurrency"] = "1",
            ["LocalHost:BlobPollInterval"] = "01:00:00",
        });
        await bounded.StartAsync();
        await open.StartAsync();
        await single.StartAsync();
        try
        {
            var ids = await LoadBench.SeedAsync(bounded, profiles);
            using var boundedHttp = LoadBench.Client(bounded);
            using var openHttp = LoadBench.Client(open);
            using var singleHttp = LoadBench.Client(single);
            foreach (var http in new[] { boundedHttp, openHttp, singleHttp })
            {
                // Warm each host: JIT, connections, the model and the corpus view.
                await LoadBench.DriveAsync(3, 50, i => LoadBench.GetAsync(http, ids[i % ids.Count]));
                await AskAsync(http, -1, "192.0.2.1");
            }

            var baseline = await PhaseAsync(boundedHttp, ids, seconds, rate, queryRate: 0);
            var flood = await PhaseAsync(boundedHttp, ids, seconds, rate, queryRate);
            var unbounded = await PhaseAsync(openHttp, ids, seconds, rate, queryRate);
            var one = await PhaseAsync(singleHttp, ids, seconds, rate, queryRate);

            Console.WriteLine($"{ids.Count} papers and profiles; profile GETs open loop at {rate} requests/s; distinct queries by meaning open loop at {queryRate} requests/s, each from another address");
            Console.WriteLine("| phase | profile GETs | errors | p50 ms | p99 ms | max ms | p50 / baseline | p99 / baseline | queries answered | refused (429) | failed | peak working set MiB | peak managed heap MiB | working set / baseline |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var (name, phase) in new[] { ("baseline: profile GETs alone", baseline), ("flood, default bounds (2 at once + 32 waiting, 60 a minute a client)", flood), ("flood, bounds opened (64 at once, 100,000 a minute)", unbounded), ("flood, 1 at once + 32 waiting", one) })
            {
                Console.WriteLine($"| {name} | {phase.Profiles.Requests:N0} | {phase.Profiles.Errors} | {phase.Profiles.P(50):F2} | {phase.Profiles.P(99):F2} | {phase.Profiles.Sorted[^1]:F1} | "
                    + $"{phase.Profiles.P(50) / baseline.Profiles.P(50):F2} | {phase.Profiles.P(99) / baseline.Profiles.P(99):F2} | {phase.Answered:N0} | {phase.Refused:N0} | {phase.Failed:N0} | "
                    + $"{phase.PeakWorkingSet / 1048576.0:F0} | {phase.PeakHeap / 1048576.0:F0} | {(double)phase.PeakWorkingSet / baseline.PeakWorkingSet:F2} |");
            }
        }
        finally
        {
            await single.StopAsync();
            await open.StopAsync();
            await bounded.StopAsync();
        }
    }

    /// <summary>Profile GETs for <paramref name="seconds"/> at <paramref name="rate"/> while queries by meaning arrive at <paramref name="queryRate"/>.</summary>
    private static async Task<Phase> PhaseAsync(HttpClient http, List<string> ids, int seconds, int rate, int queryRate)
    {
        using var stop = new CancellationTokenSource();
        var statuses = new int[3];
        var sampler = SampleMemoryAsync(stop.Token);
        var queries = queryRate == 0 ? Task.CompletedTask : LoadBench.DriveAsync(seconds, queryRate, async n =>
        {
            var status = await AskAsync(http, Interlocked.Increment(ref asked), $"10.{n / 62500 % 250}.{n / 250 % 250}.{n % 250}");
            Interlocked.Increment(ref statuses[status switch { HttpStatusCode.OK => 0, HttpStatusCode.TooManyRequests => 1, _ => 2 }]);
            return true;
        });
        var profiles = await LoadBench.DriveAsync(seconds, rate, i => LoadBench.GetAsync(http, ids[i % ids.Count]));
        await queries;
        await stop.CancelAsync();
        var (workingSet, heap) = await sampler;
        return new Phase(profiles, statuses[0], statuses[1], statuses[2], workingSet, heap);
    }

    /// <summary>One distinct query by meaning from <paramref name="client"/> (the address the front end would add).</summary>
    private static async Task<HttpStatusCode> AskAsync(HttpClient http, int n, string client)
    {
        var words = $"study {n} of {(n % 3 == 0 ? "graph" : n % 3 == 1 ? "speech" : "vision")} models at scale {n % 997}";
        using var request = new HttpRequestMessage(HttpMethod.Get, n % 2 == 0 ? "/api/papers?q=" + Uri.EscapeDataString(words) : "/api/profiles?topic=" + Uri.EscapeDataString(words));
        request.Headers.Add("X-Forwarded-For", client);
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }
    }

    private static async Task<(long WorkingSet, long Heap)> SampleMemoryAsync(CancellationToken stop)
    {
        using var process = Process.GetCurrentProcess();
        var (workingSet, heap) = (0L, 0L);
        while (!stop.IsCancellationRequested)
        {
            process.Refresh();
            workingSet = Math.Max(workingSet, process.WorkingSet64);
            heap = Math.Max(heap, GC.GetTotalMemory(forceFullCollection: false));
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (workingSet, heap);
    }

    private sealed record Phase(LoadBench.Result Profiles, int Answered, int Refused, int Failed, long PeakWorkingSet, long PeakHeap);
}

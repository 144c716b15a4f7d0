using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// Issue 11, measured as a user would run it: the LocalHost (real MiniLM, Azurite with data on disk, as
/// <c>.azurite/</c>), the real corpus's monthly files dropped into <c>abstracts</c> at once. Reports papers/s end to
/// end and per tenth of the papers (the growth curve), the time from the last receipt to settled scores, the peak
/// working set, Azurite's CPU, and the encoder alone on the same texts in the same process.
/// </summary>
internal static class SettleBench
{
    public static async Task RunAsync(string corpusFolder, int files, int perFile, bool inMemory, SettleProbes probes = SettleProbes.None)
    {
        var counter = probes.HasFlag(SettleProbes.CountRequests) ? new RequestCounter() : null;
        var withoutIdentityAndRankings = probes.HasFlag(SettleProbes.WithoutIdentityAndRankings);
        var withoutCitationCohorts = probes.HasFlag(SettleProbes.WithoutCitationCohorts);
        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        var data = Path.Combine(Path.GetTempPath(), "scholarfx-settle-bench-" + Guid.NewGuid().ToString("N")[..8]);
        // On disk by default, as the LocalHost keeps .azurite/; "memory" starts it with in-memory persistence to tell
        // Azurite's whole-database saves apart from the service's own work.
        // "profile-azurite" has node write a CPU profile of Azurite when the bench stops it (open it in Chrome's DevTools
        // or summarise it with bench/azurite-profile.js).
        var profileFolder = data + "-profile";
        string[] nodeArguments = probes.HasFlag(SettleProbes.ProfileAzurite) ? ["--cpu-prof", "--cpu-prof-dir", profileFolder] : [];
        await using var azurite = await AzuriteProcess.StartAsync(root, inMemory ? null : data, nodeArguments: nodeArguments);
        if (nodeArguments.Length > 0)
        {
            Console.WriteLine($"Azurite CPU profile: {profileFolder} (written when the bench stops Azurite)");
        }
        var app = BuildHost(root, azurite, counter, builder =>
        {
            if (withoutIdentityAndRankings)
            {
                // Diagnosis only: what the write path costs without issue 13's identity lookups and ranking writes.
                builder.Services.AddSingleton<IIdentityStore, NoIdentities>();
                builder.Services.AddSingleton<IRankingStore, NoRankings>();
            }

            if (withoutCitationCohorts)
            {
                // Diagnosis only: profiles rendered without taking a citation-cohort snapshot of the view.
                builder.Services.AddSingleton<ScholarFx.Core.Profiles.ICitationCohortSource, NoCohorts>();
            }
        });
        await app.StartAsync();
        try
        {
            var storage = app.Services.GetRequiredService<ScholarFxStorage>();
            var names = new List<string>();
            var texts = new List<string>();
            foreach (var file in Directory.EnumerateFiles(corpusFolder, "*.jsonl").Order(StringComparer.Ordinal).Take(files))
            {
                var lines = File.ReadLines(file).Take(perFile > 0 ? perFile : int.MaxValue).ToList();
                texts.AddRange(lines.Take(50).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).Select(e => e.GetProperty("title").GetString() + ". " + e.GetProperty("abstract").GetString()));
                var name = "bench/" + Path.GetFileName(file);
                await storage.EnsureCreatedAsync(CancellationToken.None);
                await storage.Abstracts.GetBlobClient(name).UploadAsync(BinaryData.FromString(string.Join('\n', lines) + "\n"), overwrite: true);
                names.Add(name);
            }

            var watch = Stopwatch.StartNew();
            Console.WriteLine($"{names.Count} files dropped at once ({(perFile > 0 ? $"the first {perFile} papers of each" : "whole")}); Azurite data {(inMemory ? "in memory" : "in " + data)}");
            var stats = app.Services.GetRequiredService<StatsStore>();
            var receipts = app.Services.GetRequiredService<IReceiptQueries>();
            var requests = app.Services.GetRequiredService<SettleRequests>();
            var samples = new List<(double Seconds, long Papers)>();
            DateTimeOffset? lastReceipt = null;
            long expected = 0;
            while (true)
            {
                await Task.Delay(2000);
                var count = await stats.GetPaperCountAsync(CancellationToken.None);
                samples.Add((watch.Elapsed.TotalSeconds, count));
                var views = await Task.WhenAll(names.Select(n => receipts.GetAsync(n, CancellationToken.None)));
                if (samples.Count % 15 == 0)
                {
                    using var self = Process.GetCurrentProcess();
                    Console.WriteLine($"  {watch.Elapsed.TotalSeconds:F0} s: {count:N0} papers, {views.Count(v => v?.Latest?.IsFinal == true)} of {names.Count} files done, working set {self.WorkingSet64 >> 20} MiB, Azurite CPU {azurite.CpuTime.TotalSeconds:F0} s{TableDatabase(inMemory ? null : data)}{SoFar(counter, count)}");
                }

                if (views.All(v => v?.Latest?.IsFinal == true))
                {
                    lastReceipt ??= views.Max(v => v!.Latest!.CompletedAt);
                    expected = views.Sum(v => (long)v!.Latest!.PapersCreated);
                    var state = await requests.GetAsync(CancellationToken.None);
                    if (state.Settled == state.Generation && state.PendingUntil is null)
                    {
                        break;
                    }
                }
            }

            var settledAfter = DateTimeOffset.UtcNow - lastReceipt!.Value;
            var ingestSeconds = samples.First(s => s.Papers >= expected).Seconds;
            Console.WriteLine();
            Console.WriteLine($"papers: {expected:N0}; ingested in {ingestSeconds:F0} s = {expected / ingestSeconds:F2} papers/s end to end; settled {settledAfter.TotalSeconds:F1} s after the last receipt");
            Console.WriteLine("| tenth | papers/s |");
            Console.WriteLine("| --- | --- |");
            var rates = new List<double>();
            for (var tenth = 1; tenth <= 10; tenth++)
            {
                var from = Crossing(samples, expected * (tenth - 1) / 10);
                var to = Crossing(samples, expected * tenth / 10);
                rates.Add(expected / 10.0 / Math.Max(0.001, to - from));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {tenth} | {rates[^1]:F2} |"));
            }

            Console.WriteLine($"last tenth / first tenth: {rates[^1] / rates[0]:F2} (target ≥ 0.8)");
            using (var self = Process.GetCurrentProcess())
            {
                Console.WriteLine($"peak working set {self.PeakWorkingSet64 >> 20} MiB; Azurite CPU {azurite.CpuTime.TotalSeconds:F0} s of {watch.Elapsed.TotalSeconds:F0} s{TableDatabase(inMemory ? null : data)}");
            }

            var embedder = app.Services.GetRequiredService<ITextEmbedder>();
            var encode = Stopwatch.StartNew();
            await embedder.EmbedAsync([.. texts.Take(400)], CancellationToken.None);
            if (counter is not null)
            {
                Console.WriteLine("storage requests (the bench's own polling included):");
                Console.WriteLine(counter.Table(texts.Count > 0 ? (int)await app.Services.GetRequiredService<StatsStore>().GetPaperCountAsync(CancellationToken.None) : 1));
            }

            Console.WriteLine($"encoder alone on {Math.Min(400, texts.Count)} of the same texts: {Math.Min(400, texts.Count) / encode.Elapsed.TotalSeconds:F1} abstracts/s");
            if (probes.HasFlag(SettleProbes.Rescore))
            {
                var rescore = Stopwatch.StartNew();
                var run = await app.Services.GetRequiredService<ScholarFx.Core.Rescore.IRescoreService>().RunAsync(recomputeAll: false, CancellationToken.None);
                Console.WriteLine($"a full rescore afterwards: {run.PapersChanged:N0} papers' scores and {run.ProfilesRebuilt:N0} profiles changed, {run.FailureCount} failures, in {rescore.Elapsed.TotalSeconds:F0} s (a settled corpus: 0 and 0)");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (probes.HasFlag(SettleProbes.KeepData))
            {
                Console.WriteLine($"Azurite data kept in {data} (summarise with: node bench/azurite-tables.js {Path.Combine(data, "__azurite_db_table__.json")})");
            }
            else
            {
                try
                {
                    Directory.Delete(data, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>
    /// The LocalHost on <paramref name="azurite"/> as the benches run it: settling's log lines shown, every storage request
    /// counted by <paramref name="counter"/> when there is one, then <paramref name="configure"/>.
    /// </summary>
    internal static Microsoft.AspNetCore.Builder.WebApplication BuildHost(string root, AzuriteProcess azurite, RequestCounter? counter, Action<Microsoft.Extensions.Hosting.IHostApplicationBuilder>? configure = null) =>
        LocalFunctionHost.Build([], root, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ScholarFx.Core.Settle.SettleService"] = "Information",
        }, builder =>
        {
            if (counter is not null)
            {
                builder.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall)));
            }

            configure?.Invoke(builder);
        });

    /// <summary>The time the paper count first reached <paramref name="papers"/>, interpolated between samples.</summary>
    private static double Crossing(List<(double Seconds, long Papers)> samples, long papers)
    {
        var previous = (Seconds: 0.0, Papers: 0L);
        foreach (var sample in samples)
        {
            if (sample.Papers >= papers)
            {
                return sample.Papers == previous.Papers ? sample.Seconds
                    : previous.Seconds + ((sample.Seconds - previous.Seconds) * (papers - previous.Papers) / (sample.Papers - previous.Papers));
            }

            previous = sample;
        }

        return samples[^1].Seconds;
    }

    private sealed class NoIdentities : IIdentityStore
    {
        public Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(NameIdentity.Empty(key));

        public Task<bool> LinkOrcidAsync(string nameKey, string orcid, IReadOnlyCollection<string> coAuthorKeys, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task SetRedirectAsync(string from, string? to, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetCuratedOrcidAsync(string nameKey, string? orcid, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> AddOrcidNameAsync(string orcid, string nameKey, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<bool> RemoveOrcidNameAsync(string orcid, string nameKey, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<bool> AddClaimAsync(string orcid, string nameKey, string paperId, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlySet<string>?> KnownKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>?>(new HashSet<string>());
    }

    /// <summary>
    /// The size of Azurite's table database on disk, which it serialises whole every 5 s (one JavaScript string, so it
    /// cannot pass 512 Mi characters): the cost that grows with what is stored.
    /// </summary>
    private static string TableDatabase(string? folder) =>
        folder is not null && new FileInfo(Path.Combine(folder, "__azurite_db_table__.json")) is { Exists: true } file
            ? $", table database {file.Length >> 20} MiB"
            : "";

    /// <summary>Requests and entity operations a paper so far (a run stopped before its end still gives its counts).</summary>
    private static string SoFar(RequestCounter? counter, long papers) =>
        counter is null || papers == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $", {(double)counter.Requests() / papers:F1} requests and {(double)counter.Operations() / papers:F1} entity operations a paper ({(double)counter.Operations(StorageNames.RankingsTable) / papers:F1} ranking pages, {(double)counter.Operations(StorageNames.AuthorsTable) / papers:F1} authors, {(double)counter.Operations(StorageNames.NameIndexTable) / papers:F1} names)");

    private sealed class NoRankings : IRankingStore
    {
        public Task<IReadOnlyList<string>> MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<RankFound> FindAsync(string category, string authorId, IReadOnlyList<string> sorts, CancellationToken cancellationToken) =>
            Task.FromResult(new RankFound(authorId, [], new Dictionary<string, RankingPartition>()));

        public Task<bool> ReplaceAsync(RankFound found, IReadOnlyDictionary<string, RankEntry> entries, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken) => Task.FromResult(new RankingPage([], null));
    }

    private sealed class NoCohorts : ScholarFx.Core.Profiles.ICitationCohortSource
    {
        public int MinimumSize => 200;

        public Task<ScholarFx.Core.Scoring.View.CitationCohorts> GetAsync(CancellationToken cancellationToken) => Task.FromResult(ScholarFx.Core.Scoring.View.CitationCohorts.Empty);
    }
}

using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core;
using ScholarFx.Core.Harvest;
using ScholarFx.Core.Health;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Integration.Harvest;

/// <summary>
/// The harvest against a local fake of arXiv OAI-PMH and OpenAlex, on Azurite: the pages land in abstracts, ingest
/// reads them through the real path, a killed run resumes without gaps or duplicates, and the politeness interval and
/// Retry-After are kept — counted on a clock that never sleeps.
/// </summary>
public sealed class HarvestTests(AzuriteFixture fixture, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 6, 0, 0, TimeSpan.Zero);
    private readonly JumpingClock clock = new(Start);
    private FakeHarvestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await FakeHarvestServer.StartAsync(clock);
        // Tests of this class share an Azurite: each starts with no harvest state and no harvested files.
        await fixture.Storage.EnsureCreatedAsync(CancellationToken.None);
        await foreach (var row in fixture.Storage.Stats.QueryAsync<TableEntity>(e => e.PartitionKey == "harvest"))
        {
            await fixture.Storage.Stats.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        await foreach (var blob in fixture.Storage.Abstracts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "harvest/", CancellationToken.None))
        {
            await fixture.Storage.Abstracts.DeleteBlobAsync(blob.Name);
        }
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task ArxivHarvest_IngestedPagesGiveExactlyThePapersThePagesHold_ThroughA503AndATruncatedPage()
    {
        var papers = Papers("arx", 8);
        // Paper 2 is on pages 1 and 2 (a record modified while the list was paged).
        server.ArxivPages = [[papers[0], papers[1], papers[2]], [papers[2], papers[3], papers[4]], [papers[5], papers[6], papers[7]]];
        server.Fail("arxiv", 1, FakeFault.RetryAfter(503, 7));
        server.Fail("arxiv", 2, FakeFault.Truncate());
        using var host = Host(Arxiv());

        var outcome = await host.Services.GetRequiredService<IHarvestService>().RunAsync("arxiv", CancellationToken.None);

        Assert.Equal((HarvestResult.Completed, 3, 9L), (outcome.Result, outcome.PagesStored, outcome.Papers));
        var files = await HarvestedFilesAsync();
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.Matches(@"^harvest/arxiv/2025-03-10_2026-03-10/00000[1-3]-[0-9a-f]{12}\.xml$", f));
        await AssertIngestedAsync(host, files, papers.Select(p => "arxiv:" + p.Id));
        var status = await StatusAsync(host, "arxiv");
        Assert.Equal((1L, 3L, 9L), (status.UnparseablePages, status.PagesHarvested, status.PapersHarvested));
        Assert.Equal("completed", status.LastResult);
        Assert.Equal(new DateOnly(2026, 3, 10), status.CompletedUntil);
        Assert.Null(status.Window);
        Assert.Contains("did not parse", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArxivHarvest_KeepsOneRequestPerIntervalAndObeysRetryAfter_CountedNotTimed()
    {
        var papers = Papers("pol", 6);
        server.ArxivPages = [[papers[0], papers[1]], [papers[2], papers[3]], [papers[4], papers[5]]];
        server.Fail("arxiv", 1, FakeFault.RetryAfter(503, 7));
        using var host = Host(Arxiv());

        await host.Services.GetRequiredService<IHarvestService>().RunAsync("arxiv", CancellationToken.None);

        var requests = server.Requests;
        Assert.Equal([0, 1, 1, 2], requests.Select(r => r.Page));
        // No two requests within the 3 s interval, and the request after the 503 came 7 s (its Retry-After) later.
        Assert.All(requests.Zip(requests.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(3), $"{pair.First.At:O} → {pair.Second.At:O}"));
        Assert.Equal(TimeSpan.FromSeconds(7), requests[2].At - requests[1].At);
        Assert.Equal(TimeSpan.FromSeconds(3), requests[3].At - requests[2].At);
        // A continuation carries only the verb and the token; the first request names the window.
        Assert.Equal(["resumptionToken", "verb"], requests[3].Query.Keys.Order());
        Assert.Equal("2025-03-10", requests[0].Query["from"]);
        Assert.Equal("2026-03-10", requests[0].Query["until"]);
        Assert.Equal(("cs", "arXiv"), (requests[0].Query["set"], requests[0].Query["metadataPrefix"]));
        Assert.Equal("ScholarFx/1.0 (+mailto:harvest@example.org)", requests[0].UserAgent);
    }

    [Fact]
    public async Task ArxivHarvest_KilledAfterPageTwo_ResumesWithoutGapsOrDuplicates()
    {
        var papers = Papers("kill", 8);
        server.ArxivPages = [[papers[0], papers[1]], [papers[2], papers[3]], [papers[4], papers[5]], [papers[6], papers[7]]];
        using var host = Host(Arxiv());
        var harvest = host.Services.GetRequiredService<IHarvestService>();
        using var kill = new CancellationTokenSource();
        server.OnRequest = r => { if (r.Page == 2) kill.Cancel(); };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harvest.RunAsync("arxiv", kill.Token));
        var killed = await StatusAsync(host, "arxiv");
        server.OnRequest = null;
        var resumed = await harvest.RunAsync("arxiv", CancellationToken.None);

        Assert.Equal((2, "running"), (killed.Page, killed.LastResult));
        Assert.Equal(FakeHarvestServer.ArxivToken(2), killed.Cursor);
        Assert.Equal((HarvestResult.Completed, 2, 0), (resumed.Result, resumed.PagesStored, resumed.PagesAlreadyStored));
        // The resumed run asked for page 3 by its token, not for the window again.
        Assert.Equal([0, 1, 2, 2, 3], server.Requests.Select(r => r.Page));
        var files = await HarvestedFilesAsync();
        Assert.Equal(4, files.Count);
        await AssertIngestedAsync(host, files, papers.Select(p => "arxiv:" + p.Id));
        Assert.Equal(8L, (await StatusAsync(host, "arxiv")).PapersHarvested);
    }

    [Fact]
    public async Task ArxivHarvest_PageStoredButCursorNotCommitted_IsFetchedAgainAndSkippedNotStoredTwice()
    {
        var papers = Papers("crash", 6);
        server.ArxivPages = [[papers[0], papers[1]], [papers[2], papers[3]], [papers[4], papers[5]]];
        using var host = Host(Arxiv());
        var harvest = host.Services.GetRequiredService<IHarvestService>();
        await harvest.RunAsync("arxiv", CancellationToken.None);
        var before = await HarvestedFilesAsync();
        // A run that stored pages 2 and 3 but died before committing either: the state still points at page 2.
        var store = host.Services.GetRequiredService<HarvestStateStore>();
        var (state, etag) = await store.GetAsync("arxiv", CancellationToken.None);
        var window = new HarvestWindow(new DateOnly(2025, 3, 10), new DateOnly(2026, 3, 10));
        await store.SaveAsync(state! with { Window = window, Cursor = FakeHarvestServer.ArxivToken(1), Page = 1, CompletedUntil = null, PagesHarvested = 1, PapersHarvested = 2 }, etag, CancellationToken.None);

        var again = await harvest.RunAsync("arxiv", CancellationToken.None);

        Assert.Equal((HarvestResult.Completed, 0, 2), (again.Result, again.PagesStored, again.PagesAlreadyStored));
        Assert.Equal(before, await HarvestedFilesAsync());
        var status = await StatusAsync(host, "arxiv");
        Assert.Equal((3L, 6L), (status.PagesHarvested, status.PapersHarvested));
    }

    [Fact]
    public async Task ArxivHarvest_NextRunStartsOnTheLastCompletedDay()
    {
        server.ArxivPages = [[.. Papers("inc", 1)]];
        using var host = Host(Arxiv());
        var harvest = host.Services.GetRequiredService<IHarvestService>();
        await harvest.RunAsync("arxiv", CancellationToken.None);
        server.ArxivPages = [];
        await Task.Delay(TimeSpan.FromDays(2), clock);

        var second = await harvest.RunAsync("arxiv", CancellationToken.None);

        Assert.Equal((HarvestResult.Completed, 0), (second.Result, second.PagesStored));
        var last = server.Requests[^1];
        Assert.Equal(("2026-03-10", "2026-03-12"), (last.Query["from"], last.Query["until"]));
        Assert.Equal(new DateOnly(2026, 3, 12), (await StatusAsync(host, "arxiv")).CompletedUntil);
    }

    [Fact]
    public async Task OpenAlexHarvest_PagesByCursorThroughA429_AndIngestGivesThePapersThePagesHold()
    {
        var papers = Papers("oa", 5);
        server.OpenAlexPages = [[papers[0], papers[1]], [papers[1], papers[2], papers[3]], [papers[4]]];
        server.Fail("openalex", 1, FakeFault.RetryAfter(429, 5));
        using var host = Host(new()
        {
            ["Harvest:OpenAlex:Endpoint"] = new Uri(server.BaseAddress, "/works").ToString(),
            ["Harvest:OpenAlex:Filter"] = "authorships.author.orcid:0000-0002-1825-0097",
            ["Harvest:OpenAlex:Mailto"] = "harvest@example.org",
            ["Harvest:OpenAlex:ApiKey"] = "test-key",
            ["Harvest:OpenAlex:From"] = "2026-01-01",
        });

        var outcome = await host.Services.GetRequiredService<IHarvestService>().RunAsync("openalex", CancellationToken.None);

        Assert.Equal((HarvestResult.Completed, 3, 6L), (outcome.Result, outcome.PagesStored, outcome.Papers));
        var requests = server.Requests;
        Assert.Equal([0, 1, 1, 2], requests.Select(r => r.Page));
        Assert.Equal(TimeSpan.FromSeconds(5), requests[2].At - requests[1].At);
        Assert.All(requests.Zip(requests.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(0.1)));
        Assert.Equal("*", requests[0].Query["cursor"]);
        Assert.Equal(FakeHarvestServer.OpenAlexCursor(1), requests[1].Query["cursor"]);
        Assert.Equal("authorships.author.orcid:0000-0002-1825-0097,from_publication_date:2026-01-01,to_publication_date:2026-03-10", requests[0].Query["filter"]);
        Assert.Equal(("200", "harvest@example.org", "test-key"), (requests[0].Query["per-page"], requests[0].Query["mailto"], requests[0].Query["api_key"]));
        var files = await HarvestedFilesAsync();
        Assert.All(files, f => Assert.StartsWith("harvest/openalex/2026-01-01_2026-03-10/", f, StringComparison.Ordinal));
        await AssertIngestedAsync(host, files, papers.Select(p => "openalex:W" + p.Id.Replace(".", "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SourceWithoutEndpoint_IsOff_AndHealthSaysSo()
    {
        using var host = Host([]);

        var outcome = await host.Services.GetRequiredService<IHarvestService>().RunAsync("openalex", CancellationToken.None);

        Assert.Equal(HarvestResult.Disabled, outcome.Result);
        Assert.Empty(server.Requests);
        var status = await StatusAsync(host, "openalex");
        Assert.False(status.Enabled);
        Assert.Null(status.NextRun);
    }

    [Fact]
    public async Task Health_ShowsEachSourcesHarvest()
    {
        var papers = Papers("health", 3);
        server.ArxivPages = [[papers[0], papers[1]], [papers[2]]];
        server.Fail("arxiv", 1, FakeFault.Truncate());
        using var host = Host(Arxiv());
        await host.Services.GetRequiredService<IHarvestService>().RunAsync("arxiv", CancellationToken.None);

        var report = await host.Services.GetRequiredService<IHealthService>().CheckAsync(CancellationToken.None);

        var json = JsonSerializer.Serialize(report.Harvest, new JsonSerializerOptions(ScholarFxJson.Options) { WriteIndented = true });
        output.WriteLine(json);
        Assert.Equal(["arxiv", "openalex"], report.Harvest!.Select(h => h.Source));
        var arxiv = report.Harvest![0];
        Assert.True(arxiv.Enabled);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 3, 30, 0, TimeSpan.Zero), arxiv.NextRun);
        Assert.Equal((2L, 3L, 1L), (arxiv.PagesHarvested, arxiv.PapersHarvested, arxiv.UnparseablePages));
        Assert.DoesNotContain("test-key", json, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Arxiv() => new()
    {
        ["Harvest:Arxiv:Endpoint"] = new Uri(server.BaseAddress, "/oai").ToString(),
        ["Harvest:Arxiv:Set"] = "cs",
        ["Harvest:Arxiv:From"] = "2025-03-10",
        ["Harvest:Contact"] = "harvest@example.org",
    };

    private IHost Host(Dictionary<string, string?> settings) =>
        fixture.BuildHost(settings, b =>
        {
            b.Services.AddSingleton(new HarvestClock(clock));
            b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>();
        });

    private static List<FakePaper> Papers(string prefix, int count)
    {
        var run = Random.Shared.Next(10000, 89999);
        return [.. Enumerable.Range(0, count).Select(i => new FakePaper(
            $"26{Random.Shared.Next(10, 12)}.{run + i * 3:D5}",
            $"Harvested {prefix} paper {i} {run}",
            "Ada",
            TestPapers.Unique("Harvestauthor"),
            new DateOnly(2026, 2, 1).AddDays(i),
            $"We study harvested {prefix} paper {i} and report what we find in run {run}."))];
    }

    private async Task<List<string>> HarvestedFilesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in fixture.Storage.Abstracts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "harvest/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private async Task AssertIngestedAsync(IHost host, IReadOnlyList<string> files, IEnumerable<string> expectedIds)
    {
        var created = 0;
        foreach (var file in files)
        {
            var receipt = await fixture.IngestAsync(file, host.Services);
            Assert.Equal(ReceiptStatus.Succeeded, receipt.Status);
            created += receipt.PapersCreated;
        }

        var expected = expectedIds.Distinct().ToList();
        Assert.Equal(expected.Count, created);
        var queries = host.Services.GetRequiredService<IPaperQueries>();
        foreach (var id in expected)
        {
            Assert.NotNull(await queries.GetPaperAsync(id, CancellationToken.None));
        }
    }

    private static async Task<HarvestStatus> StatusAsync(IHost host, string source) =>
        (await host.Services.GetRequiredService<IHarvestService>().StatusAsync(CancellationToken.None)).Single(s => s.Source == source);
}

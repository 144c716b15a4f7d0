using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Rescore;

/// <summary>
/// The rescore at scale on a real Azurite: one run at a time, shards that resume after a host dies, failing papers
/// recorded and skipped, and the fan-out over the rescore queue through the LocalHost's queue trigger.
/// </summary>
public sealed class RescoreTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> SmallShards = new() { ["Rescore:ShardSize"] = "10" };
    private readonly AzuriteFixture fixture = new();
    private readonly SwitchableTestEmbedder embedder = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task AKilledRun_ResumesTheSameRun_AndEndsAsAnUninterruptedOneWould()
    {
        using var host = Host(SmallShards);
        await IngestUnembeddedAsync(host, 45);
        var rescore = host.Services.GetRequiredService<IRescoreService>();

        // Killed after 12 papers of the embed phase (5 shards of 10).
        using var kill = new CancellationTokenSource();
        embedder.CancelAfter = (12, kill);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rescore.RunAsync(recomputeAll: false, kill.Token));
        embedder.CancelAfter = null;
        var interrupted = await host.Services.GetRequiredService<RescoreRunStore>().ActiveAsync(CancellationToken.None);
        Assert.NotNull(interrupted);
        Assert.Equal(RescorePhase.Embed, interrupted.Phase);
        Assert.Contains('1', interrupted.ShardsDone);
        Assert.Contains('0', interrupted.ShardsDone);

        var resumed = await rescore.RunAsync(recomputeAll: false, CancellationToken.None);

        Assert.Equal(interrupted.Id, resumed.Id);
        Assert.Equal(RescorePhase.Succeeded, resumed.Phase);
        // Papers the killed attempt embedded before it could count them are done, not counted.
        Assert.InRange(resumed.Embedded, 33, 45);
        await foreach (var paper in host.Services.GetRequiredService<IPaperStore>().ScanAsync(CancellationToken.None))
        {
            Assert.NotNull(paper.Embedding);
        }

        await AssertFromScratchAsync(host);
    }

    [Fact]
    public async Task TwoStartsAtOnce_MakeOneRun()
    {
        using var host = Host(SmallShards);
        using var other = Host(SmallShards);
        await IngestUnembeddedAsync(host, 5);

        var runs = await Task.WhenAll(
            host.Services.GetRequiredService<IRescoreService>().StartAsync("timer", false, CancellationToken.None),
            other.Services.GetRequiredService<IRescoreService>().StartAsync("admin", false, CancellationToken.None));

        Assert.Equal(runs[0].Id, runs[1].Id);
    }

    [Fact]
    public async Task APaperThatFails_IsRecordedAndSkipped_AndTheRunCompletes()
    {
        using var host = Host(SmallShards);
        await IngestUnembeddedAsync(host, 15, poisoned: 3);

        var run = await host.Services.GetRequiredService<IRescoreService>().RunAsync(recomputeAll: false, CancellationToken.None);

        Assert.Equal(RescorePhase.Succeeded, run.Phase);
        Assert.Equal(14, run.Embedded);
        var failure = Assert.Single(run.Failures, f => f.Phase == "Embed");
        Assert.Equal("sfx:rescued-3", failure.PaperId);
        Assert.Contains("unavailable", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdminRescore_Answers202_AndFansOutOverTheQueue_ToTheSameResult()
    {
        var app = LocalFunctionHost.Build([], fixture.RepositoryRoot, new Dictionary<string, string?>(SmallShards)
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        }, b => b.Services.AddSingleton<ITextEmbedder>(embedder));
        await app.StartAsync();
        try
        {
            await IngestUnembeddedAsync(app, 35);
            using var http = new HttpClient { BaseAddress = LocalFunctionHost.BaseAddress(app) };

            var started = await http.PostAsync("/api/admin/rescore", null);

            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var location = started.Headers.Location!.ToString();
            Assert.StartsWith("/api/admin/rescore/", location, StringComparison.Ordinal);
            var run = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
            for (var i = 0; i < 300 && run.GetProperty("phase").GetString() != "Succeeded"; i++)
            {
                await Task.Delay(200);
                run = JsonDocument.Parse(await http.GetStringAsync(location)).RootElement;
            }

            Assert.Equal("Succeeded", run.GetProperty("phase").GetString());
            Assert.Equal(35, run.GetProperty("embedded").GetInt32());
            await AssertFromScratchAsync(app);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private IHost Host(IReadOnlyDictionary<string, string?> settings) =>
        fixture.BuildHost(settings, b => b.Services.AddSingleton<ITextEmbedder>(embedder));

    /// <summary>Ingests papers while the embedding model is down, so every one waits for the rescore to be embedded.</summary>
    private async Task IngestUnembeddedAsync(IHost host, int count, int? poisoned = null) => await IngestUnembeddedAsync(host.Services, count, poisoned);

    private Task IngestUnembeddedAsync(WebApplication app, int count) => IngestUnembeddedAsync(app.Services, count, null);

    private async Task IngestUnembeddedAsync(IServiceProvider services, int count, int? poisoned)
    {
        var papers = FieldPapers.Field("rescued", count, new DateOnly(2024, 1, 1), 3, ["Rescue Author"], seed: 8);
        if (poisoned is { } p)
        {
            papers[p] = papers[p].Replace("We study", "We study " + SwitchableTestEmbedder.Poison, StringComparison.Ordinal);
        }

        embedder.Down = true;
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("rescue") + ".jsonl", TestPapers.Lines([.. papers])), services);
        embedder.Down = false;
    }

    private static async Task AssertFromScratchAsync(IHost host) => await AssertFromScratchAsync(host.Services);

    private static async Task AssertFromScratchAsync(WebApplication app) => await AssertFromScratchAsync(app.Services);

    private static async Task AssertFromScratchAsync(IServiceProvider services)
    {
        var rows = await FromScratchScores.CompareAsync(services.GetRequiredService<IPaperStore>(), new NoveltyOptions());
        Assert.True(rows.Count(r => r.ExpectedNovelty is not null) > 10);
        Assert.All(rows, r =>
        {
            Assert.Equal(r.ExpectedNovelty ?? -1, r.StoredNovelty ?? -1, 6);
            Assert.Equal(r.ExpectedAi ?? -1, r.StoredAi ?? -1, 6);
        });
    }
}

using Azure.Core;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Integration.Settle;

/// <summary>
/// Settling through the LocalHost's own queue trigger, on a real Azurite: files dropped together, in any date order, on
/// one host or two, end with the scores a from-scratch computation gives — without any rescore — within a minute.
/// </summary>
public sealed class SettleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly NoveltyOptions Options = new();
    private readonly AzuriteFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task FilesDroppedTogether_AndAFileInReverseDateOrder_SettleToTheFromScratchScores_WithoutARescore()
    {
        await using var host = await StartAsync();
        var author = TestPapers.Unique("Settled Author");
        // The author's 7 recent papers, the 150 earlier papers of the field, and another field's 60 papers newest first.
        var field = FieldPapers.Field("vision", 150, new DateOnly(2023, 1, 1), 3, ["Field Author"], seed: 1);
        var own = FieldPapers.Field("visionx", 7, new DateOnly(2024, 6, 1), 20, [author], seed: 1);
        var reversed = FieldPapers.Field("language", 60, new DateOnly(2023, 3, 1), 7, ["Other Author"], seed: 2, category: "cs.CL");
        reversed.Reverse();

        await Task.WhenAll(
            fixture.UploadAsync("burst/author.jsonl", TestPapers.Lines([.. own])),
            fixture.UploadAsync("burst/field.jsonl", TestPapers.Lines([.. field])),
            fixture.UploadAsync("burst/reversed.jsonl", TestPapers.Lines([.. reversed])));
        var settledIn = await WaitUntilSettledAsync(host.Services, ["burst/author.jsonl", "burst/field.jsonl", "burst/reversed.jsonl"]);

        await AssertFromScratchAsync(host.Services);
        output.WriteLine($"settled {settledIn.TotalSeconds:F1} s after the last receipt");
        Assert.True(settledIn < TimeSpan.FromSeconds(60), $"settled only {settledIn} after the last receipt");

        // Settled means settled: recomputing every neighbourhood from scratch changes no stored score.
        var again = await host.Services.GetRequiredService<SettleService>().SettleAsync(everything: true, CancellationToken.None);
        Assert.True(again.Ran);
        Assert.Equal(0, again.PapersWritten);
    }

    [Fact]
    public async Task TwoHostsOnOneStorageAccount_IngestingInterleavedFiles_EndWithTheFromScratchScores()
    {
        await using var one = await StartAsync();
        await using var two = await StartAsync();
        var uploads = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            // Alternate fields and dates so each host's batches change the other's neighbourhoods.
            var papers = FieldPapers.Field((i % 2 == 0 ? "robotics" : "speech") + i, 30, new DateOnly(2023, 1, 1).AddDays(i * 11), 13, [$"Host Author {i % 3}"], seed: i);
            var name = $"interleaved/{i}.jsonl";
            uploads.Add(await fixture.UploadAsync(name, TestPapers.Lines([.. papers])));
        }

        await WaitUntilSettledAsync(one.Services, uploads);

        var receipts = await Task.WhenAll(uploads.Select(async u => (await one.Services.GetRequiredService<IReceiptQueries>().GetAsync(u, CancellationToken.None))!.Latest!));
        Assert.All(receipts, r => Assert.Equal(ReceiptStatus.Succeeded, r.Status));
        await AssertFromScratchAsync(one.Services);
    }

    [Fact]
    public async Task TwoSettlingsStartedTogether_RunOneAtATime()
    {
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        using var other = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        await fixture.IngestAsync(await fixture.UploadAsync("lease.jsonl", TestPapers.Lines([.. FieldPapers.Field("lease", 40, new DateOnly(2024, 1, 1), 2, ["Lease Author"], seed: 5)])), host.Services);

        var results = await Task.WhenAll(
            host.Services.GetRequiredService<SettleService>().SettleAsync(everything: true, CancellationToken.None),
            other.Services.GetRequiredService<SettleService>().SettleAsync(everything: true, CancellationToken.None));

        Assert.Single(results, r => r.Ran);
    }

    [Fact]
    public async Task ASettlerWhoseLeaseIsTakenMidRound_StopsWriting_AndTheOneThatTookItEndsAtTheFromScratchBuild()
    {
        var settings = new Dictionary<string, string?> { ["Settle:LeaseSeconds"] = "15" };
        void Embedder(Microsoft.Extensions.Hosting.IHostApplicationBuilder b) => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>();
        using var fresh = fixture.BuildHost(settings, Embedder);
        await fixture.IngestAsync(await fixture.UploadAsync("stolen/first.jsonl", TestPapers.Lines([.. FieldPapers.Field("stolen", 40, new DateOnly(2024, 1, 1), 3, ["Stolen Author", "Kept Author"], seed: 11)])), fresh.Services);

        // The first settler has written its papers and is held at its first author commit while its lease is broken,
        // more papers of the field arrive (percentiles of the cohort move, not all of them), and another instance takes
        // the lease and settles everything. Then the held commit goes on: the old holder's renewal has failed by then,
        // so it writes nothing more, and the authors of the papers it wrote follow them all the same.
        var broken = false;
        var hold = new BeforeFirstRequest(m => m.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Body(m).Contains($"/{StorageNames.AuthorsTable}(", StringComparison.Ordinal), async () =>
        {
            await fixture.Services.GetRequiredService<ScholarFxStorage>().Corpus.GetBlobClient("locks/settle").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
            broken = true;
            await fixture.IngestAsync(await fixture.UploadAsync("stolen/second.jsonl", TestPapers.Lines([.. FieldPapers.Field("stolenb", 40, new DateOnly(2024, 1, 2), 3, ["Stolen Author", "Late Author"], seed: 12)])), fresh.Services);
            Assert.True((await fresh.Services.GetRequiredService<SettleService>().SettleAsync(everything: true, CancellationToken.None)).Ran);
            // Renewals come every third of the 15 s lease: the old holder's next one fails.
            await Task.Delay(TimeSpan.FromSeconds(7));
        });
        using var stale = fixture.BuildHost(settings, b =>
        {
            Embedder(b);
            b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(hold, HttpPipelinePosition.PerCall)));
        });

        var result = await stale.Services.GetRequiredService<SettleService>().SettleAsync(everything: true, CancellationToken.None);

        Assert.True(hold.Ran && broken);
        Assert.False(result.Ran);
        await AssertFromScratchAsync(fresh.Services);
    }

    [Fact]
    public async Task AFileStillBeingIngested_HoldsBackThePapersFromItsWatermark_WhichAreSettledOnceItEnds()
    {
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        await fixture.IngestAsync(await fixture.UploadAsync("watermark.jsonl", TestPapers.Lines([.. FieldPapers.Field("watermark", 40, new DateOnly(2024, 1, 1), 2, ["Watermark Author"], seed: 7)])), host.Services);
        // Another invocation is ingesting a file that has come as far as 1 February.
        var receipts = host.Services.GetRequiredService<ReceiptStore>();
        var mark = new DateOnly(2024, 2, 1);
        var inFlight = new Receipt
        {
            Blob = "watermark-in-flight.jsonl", BlobETag = "\"1\"", Status = ReceiptStatus.Processing, Owner = "another-invocation",
            LeaseUntil = DateTimeOffset.UtcNow.AddMinutes(10), Watermark = mark, StartedAt = DateTimeOffset.UtcNow,
        };
        await receipts.WriteAsync(inFlight, CancellationToken.None);
        var settle = host.Services.GetRequiredService<SettleService>();

        var held = await settle.SettleAsync(everything: false, CancellationToken.None);

        // Papers before the watermark are settled; from it on they wait (an earlier paper may still come). Their
        // authors wait too: rendered once, by the round that ends the burst, not by every round that touched them.
        Assert.Equal(mark, held.Until);
        Assert.True(held.HeldBack > 0);
        Assert.True(held.PapersWritten > 0);
        Assert.Equal(0, held.ProfilesRebuilt);
        var papers = host.Services.GetRequiredService<IPaperStore>();
        foreach (var row in await FromScratchScores.CompareAsync(papers, Options))
        {
            var published = (await papers.GetPaperAsync(row.Id, CancellationToken.None))!.Published;
            Assert.Equal(published >= mark, row.Provisional);
        }

        // The file ends: the rest is settled, to the from-scratch scores, and nothing waits.
        await receipts.WriteAsync(inFlight with { Status = ReceiptStatus.Succeeded, CompletedAt = DateTimeOffset.UtcNow, LeaseUntil = null }, CancellationToken.None);
        var rest = await settle.SettleAsync(everything: false, CancellationToken.None);
        Assert.Equal(0, rest.HeldBack);
        Assert.Null(rest.Until);
        Assert.True(rest.ProfilesRebuilt > 0);
        await AssertFromScratchAsync(host.Services);
    }

    private static string Body(HttpMessage message)
    {
        using var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    [Fact]
    public async Task ASettlingThatStopsAfterItsPaperWrites_IsFinishedByTheNext_SoTheAuthorsFollowThePapers()
    {
        void Embedder(Microsoft.Extensions.Hosting.IHostApplicationBuilder b) => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>();
        using var healthy = fixture.BuildHost(configure: Embedder);
        await fixture.IngestAsync(await fixture.UploadAsync("stopped.jsonl", TestPapers.Lines([.. FieldPapers.Field("stopped", 40, new DateOnly(2024, 1, 1), 3, ["Stopped Author"], seed: 13)])), healthy.Services);

        // A settler whose every author commit fails: its papers and the corpus view hold the settled scores, its
        // authors do not (as after a process that died between the two).
        var faults = new StorageFaults();
        using var failing = fixture.BuildHost(configure: b =>
        {
            Embedder(b);
            faults.AddTo(b);
        });
        faults.Arm(StorageFault.ServerBusy, m => m.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Body(m).Contains($"/{StorageNames.AuthorsTable}(", StringComparison.Ordinal), int.MaxValue);
        await Assert.ThrowsAnyAsync<Exception>(() => failing.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None));
        Assert.NotEmpty(await FromScratchProfiles.DifferencesAsync(healthy.Services));

        // The next settling has nothing new to settle, and finishes the stopped round first.
        Assert.True((await healthy.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None)).Ran);
        await AssertFromScratchAsync(healthy.Services);
    }

    [Fact]
    public async Task APaperChangedWhileTheBurstsAuthorsAreRendered_HasItsAuthorsRenderedAgain_FromItsNewRows()
    {
        void Embedder(Microsoft.Extensions.Hosting.IHostApplicationBuilder b) => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>();
        using var other = fixture.BuildHost(configure: Embedder);
        var tag = TestPapers.Unique("owed");
        var field = FieldPapers.Field("owedfield", 30, new DateOnly(2024, 1, 1), 3, ["Owed Field Author"], seed: 14);
        var first = TestPapers.Paper($"Owed {tag} as first stated", [$"Ada {tag}", "Owed Field Author"], "2024-03-01", id: "sfx:" + tag);
        await fixture.IngestAsync(await fixture.UploadAsync("owed/first.jsonl", TestPapers.Lines([.. field, first])), other.Services);

        // The round that ends the burst has drafted its authors from the papers as it wrote them; before its first
        // author commit, another writer stores a corrected title of one of them and renders its authors. The held
        // commit then loses its race and applies its drafts' rows again on what that writer committed — the old
        // title — so only reading the owed papers again puts the new rows back.
        var hold = new BeforeFirstRequest(m => m.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Body(m).Contains($"/{StorageNames.AuthorsTable}(", StringComparison.Ordinal), async () =>
            await fixture.IngestAsync(await fixture.UploadAsync("owed/corrected.jsonl", TestPapers.Paper($"Owed {tag} as corrected", [$"Ada {tag}", "Owed Field Author"], "2024-03-01", id: "sfx:" + tag)), other.Services));
        using var settler = fixture.BuildHost(configure: b =>
        {
            Embedder(b);
            b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(hold, HttpPipelinePosition.PerCall)));
        });

        var result = await settler.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None);

        Assert.True(hold.Ran && result.Ran);
        // Right after that round, before any other settling: every author's rows are those of the papers as stored,
        // and the lists hold each author once by what the profile shows — though the two processes' moves of the
        // changed paper's authors reached them in either order (a first listing beside a newer one, a late listing
        // after a removal: each set from the profile).
        var differences = await FromScratchProfiles.DifferencesAsync(other.Services);
        Assert.True(differences.Count == 0, $"{differences.Count} differences from a from-scratch build:\n{string.Join("\n", differences.Take(20))}");
    }

    private async Task<HostHandle> StartAsync()
    {
        var app = LocalFunctionHost.Build([], fixture.RepositoryRoot, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["LocalHost:BlobPollInterval"] = "00:00:00.200",
            ["Settle:QuietSeconds"] = "2",
            ["Settle:MaxDelaySeconds"] = "10",
            ["Ingest:BatchSize"] = "25",
            ["Logging:LogLevel:Default"] = "Warning",
        }, b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        await app.StartAsync();
        return new HostHandle(app);
    }

    /// <summary>Waits for final receipts, then for every settle request to be settled; returns the time from the last receipt.</summary>
    private static async Task<TimeSpan> WaitUntilSettledAsync(IServiceProvider services, IReadOnlyList<string> blobs)
    {
        var receipts = services.GetRequiredService<IReceiptQueries>();
        var requests = services.GetRequiredService<SettleRequests>();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        DateTimeOffset? lastReceipt = null;
        while (DateTime.UtcNow < deadline)
        {
            var views = await Task.WhenAll(blobs.Select(b => receipts.GetAsync(b, CancellationToken.None)));
            if (views.All(v => v?.Latest?.IsFinal == true))
            {
                lastReceipt ??= views.Max(v => v!.Latest!.CompletedAt);
                var state = await requests.GetAsync(CancellationToken.None);
                if (state.Generation > 0 && state.Settled == state.Generation && state.PendingUntil is null)
                {
                    return DateTimeOffset.UtcNow - lastReceipt!.Value;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The files were not ingested and settled within 3 minutes.");
    }

    private async Task AssertFromScratchAsync(IServiceProvider services)
    {
        var rows = await FromScratchScores.CompareAsync(services.GetRequiredService<IPaperStore>(), Options);
        output.WriteLine($"{rows.Count} papers; {rows.Count(r => r.ExpectedNovelty is not null)} with novelty, {rows.Count(r => r.ExpectedAi is not null)} with an AI score");
        Assert.True(rows.Count(r => r.ExpectedNovelty is not null) > 20);
        Assert.All(rows, r =>
        {
            Assert.False(r.Provisional, $"{r.Id} is still provisional");
            Assert.Equal(r.ExpectedNovelty ?? -1, r.StoredNovelty ?? -1, 6);
            Assert.Equal(r.ExpectedAi ?? -1, r.StoredAi ?? -1, 6);
        });

        // Profiles and ranking lists too: every author's papers as the stored papers give them, each profile the render
        // of them, each list holding every profile once by what it shows.
        var differences = await FromScratchProfiles.DifferencesAsync(services);
        Assert.True(differences.Count == 0, $"{differences.Count} differences from a from-scratch build:\n{string.Join("\n", differences.Take(20))}");
    }

    private sealed class HostHandle(WebApplication app) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

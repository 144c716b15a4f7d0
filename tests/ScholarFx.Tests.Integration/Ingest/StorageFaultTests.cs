using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>
/// Issue 12: faults injected into the real storage clients (<see cref="StorageFaults"/>) at each step of the ingest
/// write path, against Azurite. A fault the clients' retries cannot absorb fails the attempt; the host's retry (here
/// the next call, as the trigger would make it) must then finish the file, and every profile must equal what its
/// papers say, with no paper half-written. A fault the retries absorb must change nothing.
/// </summary>
public sealed class StorageFaultTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Dates = ["2021-01-04", "2021-02-08", "2021-03-15", "2021-04-19", "2021-05-24", "2021-06-28"];

    public static TheoryData<string, StorageFault, int> Steps() => new()
    {
        // Step of the write path, fault, how many requests fail (50: more than the clients' retries absorb).
        { "papers", StorageFault.ServerBusy, 50 },
        { "papers", StorageFault.DroppedConnection, 50 },
        { "aliases", StorageFault.ServerBusy, 50 },
        { "stats", StorageFault.ServerBusy, 50 },
        { "view", StorageFault.DroppedConnection, 50 },
        { "authors", StorageFault.ServerBusy, 50 },
        { "names", StorageFault.ServerBusy, 50 },
        { "settle", StorageFault.ServerBusy, 50 },
        { "receipt", StorageFault.ServerBusy, 50 },
        // Absorbed by the clients' own retries.
        { "papers", StorageFault.LostAnswer, 3 },
        { "papers", StorageFault.TooManyRequests, 2 },
        { "papers", StorageFault.ServerBusy, 2 },
        { "authors", StorageFault.Slow, 2 },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task AFaultAtAnyStep_EndsWithEveryProfileMatchingItsPapers(string step, StorageFault fault, int count)
    {
        var faults = new StorageFaults();
        using var host = fixture.BuildHost(configure: faults.AddTo);
        var tag = TestPapers.Unique("fault");
        string[] authors = [$"Ada {tag}", $"Bo {tag}", $"Cy {tag}"];
        // Six papers; paper i is by authors[i % 3] and authors[(i + 1) % 3], cited i + 1 times.
        var lines = Enumerable.Range(0, 6).Select(i => TestPapers.Paper($"Fault paper {i} {tag}", [authors[i % 3], authors[(i + 1) % 3]], Dates[i], citations: i + 1, id: $"sfx:{tag}-{i}")).ToArray();
        var name = await fixture.UploadAsync(tag + ".jsonl", TestPapers.Lines(lines));

        faults.Arm(fault, Match(step), count);
        Receipt? first = null;
        try
        {
            first = await fixture.IngestAsync(name, host.Services);
        }
        catch (Exception e) when (count > 10)
        {
            // Expected: the fault outlasted the clients' retries and failed the attempt.
            Assert.NotNull(e);
        }

        Assert.True(faults.Injected > 0, $"no request matched step {step}");
        faults.Arm(fault, _ => false, 0);
        Assert.True(count > 10 || first is not null, "a fault the retries absorb failed the attempt");
        var receipt = first ?? await RetryAsync(name, host.Services);

        Assert.True(receipt.IsFinal, receipt.Status);
        // A retry may find the papers the failed attempt wrote: they count as updated or unchanged, never twice.
        Assert.Equal((6, 0), (receipt.PapersCreated + receipt.PapersUpdated + receipt.PapersMerged + receipt.PapersUnchanged, receipt.RecordsRejected));
        var papers = host.Services.GetRequiredService<IPaperQueries>();
        for (var i = 0; i < 6; i++)
        {
            var paper = await host.Services.GetRequiredService<IPaperStore>().GetPaperAsync($"sfx:{tag}-{i}", CancellationToken.None);
            Assert.NotNull(paper);
            Assert.Equal(($"Fault paper {i} {tag}", 2, i + 1), (paper.Title, paper.Authors.Count, paper.Citations));
            Assert.NotNull(await papers.GetPaperAsync($"sfx:{tag}-{i}", CancellationToken.None));
        }

        for (var a = 0; a < 3; a++)
        {
            var theirs = Enumerable.Range(0, 6).Where(i => i % 3 == a || (i + 1) % 3 == a).ToList();
            var document = await host.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(AuthorKey.FromName(authors[a]), CancellationToken.None);
            Assert.NotNull(document);
            var profile = JsonDocument.Parse(document.Json).RootElement;
            Assert.Equal(theirs.Count, profile.GetProperty("paperCount").GetInt32());
            Assert.Equal(theirs.Sum(i => i + 1), profile.GetProperty("citationCount").GetInt32());
            Assert.Equal(
                theirs.Select(i => $"sfx:{tag}-{i}").Order(StringComparer.Ordinal),
                profile.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
            var found = await host.Services.GetRequiredService<IProfileQueries>().FindAsync(authors[a], null, null, CancellationToken.None);
            Assert.Contains(found.Value!.Items, h => h.Id == AuthorKey.FromName(authors[a]) && h.PaperCount == theirs.Count);
        }
    }

    [Fact]
    public async Task ACorrectionRemovingAnAuthor_InterruptedBeforeTheRowsChanged_IsFinishedByTheRetry()
    {
        // The correction's paper write lands, the author transactions fail; the retry finds the paper already corrected.
        // It used to re-project the current authors only, and the removed author kept the paper for good.
        var faults = new StorageFaults();
        using var host = fixture.BuildHost(configure: faults.AddTo);
        var tag = TestPapers.Unique("removed");
        string keep = "Keeper " + tag, removed = "Removed " + tag;
        await fixture.IngestAsync(await fixture.UploadAsync(tag + "-a.jsonl", TestPapers.Lines(
            TestPapers.Paper("First " + tag, [keep, removed], "2021-02-01", id: $"sfx:{tag}-1"),
            TestPapers.Paper("Second " + tag, [removed], "2021-02-02", id: $"sfx:{tag}-2"))), host.Services);
        Assert.Equal(2, await PaperCountAsync(removed));
        var correction = await fixture.UploadAsync(tag + "-b.jsonl", TestPapers.Paper("First " + tag, [keep], "2021-02-01", id: $"sfx:{tag}-1"));
        faults.Arm(StorageFault.ServerBusy, Match("authors"), 50);

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.IngestAsync(correction, host.Services));
        faults.Arm(StorageFault.ServerBusy, _ => false, 0);
        var receipt = await fixture.IngestAsync(correction, host.Services);

        Assert.Equal(ReceiptStatus.Succeeded, receipt.Status);
        Assert.Equal(1, await PaperCountAsync(removed));
        Assert.Equal(1, await PaperCountAsync(keep));
    }

    private async Task<int> PaperCountAsync(string author)
    {
        var document = await fixture.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None);
        return document is null ? 0 : JsonDocument.Parse(document.Json).RootElement.GetProperty("paperCount").GetInt32();
    }

    [Fact]
    public async Task AFileThatFailsEveryAttempt_IsRecordedAsPoisonByTheLastAttemptTheHostMakes()
    {
        // The host stops after poisonBlobThreshold failures; the receipt used to wait for a sixth start that never came
        // and stayed "processing" for good.
        var faults = new StorageFaults();
        using var host = fixture.BuildHost(configure: faults.AddTo);
        var tag = TestPapers.Unique("poisoned");
        var name = await fixture.UploadAsync(tag + ".json", TestPapers.Paper("Never stored " + tag, ["Poisoned " + tag], "2021-01-01"));
        faults.Arm(StorageFault.ServerBusy, Match("papers"), int.MaxValue);
        var threshold = HostJson().GetProperty("extensions").GetProperty("blobs").GetProperty("poisonBlobThreshold").GetInt32();

        for (var attempt = 1; attempt <= threshold; attempt++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => fixture.IngestAsync(name, host.Services));
            var (receipt, _) = await fixture.Services.GetRequiredService<ReceiptStore>().GetAsync(
                name, (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString(), CancellationToken.None);
            Assert.Equal((attempt, attempt == threshold ? ReceiptStatus.Poison : ReceiptStatus.Processing), (receipt!.Attempts, receipt.Status));
            Assert.StartsWith("RequestFailedException", receipt.LastFailure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheServiceGivesUpAfterAsManyAttemptsAsTheHost()
    {
        var blobs = HostJson().GetProperty("extensions").GetProperty("blobs");

        Assert.Equal(new IngestOptions().MaxAttempts, blobs.GetProperty("poisonBlobThreshold").GetInt32());
    }

    [Fact]
    public async Task AClaimWhoseAnswerWasLost_IsStillOurs_AndTheFileIsIngested()
    {
        // The claim is written, its answer lost; the client's retry then gets 409 from its own write. The blob used to be
        // logged "skipped" and never ingested.
        var faults = new StorageFaults();
        using var host = fixture.BuildHost(configure: faults.AddTo);
        var tag = TestPapers.Unique("lostclaim");
        var name = await fixture.UploadAsync(tag + ".json", TestPapers.Paper("Claimed " + tag, ["Claimer " + tag], "2021-01-01"));
        faults.Arm(StorageFault.LostAnswer, Match("receipt"), 1);

        var receipt = await fixture.IngestAsync(name, host.Services);

        Assert.Equal(1, faults.Injected);
        Assert.Equal((ReceiptStatus.Succeeded, 1), (receipt.Status, receipt.PapersCreated));
    }

    [Fact]
    public async Task ADuplicateEventDuringAnIngest_WaitsForIt_InsteadOfIngestingTheBlobTwiceAtOnce()
    {
        var faults = new StorageFaults();
        using var host = fixture.BuildHost(new Dictionary<string, string?> { ["Ingest:LeaseSeconds"] = "3" }, faults.AddTo);
        var tag = TestPapers.Unique("duplicate");
        var name = await fixture.UploadAsync(tag + ".jsonl", TestPapers.Lines([.. Enumerable.Range(0, 6).Select(i => TestPapers.Paper($"Dup {i} {tag}", ["Dup " + tag], Dates[i], id: $"sfx:{tag}-{i}"))]));
        // Slow paper writes keep the first invocation busy for longer than the lease: it must renew it.
        faults.Arm(StorageFault.Slow, Match("papers"), 4);
        var receipts = fixture.Services.GetRequiredService<ReceiptStore>();
        var etag = (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();

        var first = fixture.IngestAsync(name, host.Services);
        while ((await receipts.GetAsync(name, etag, CancellationToken.None)).Receipt is not { Status: ReceiptStatus.Processing })
        {
            await Task.Delay(20);
        }

        var duplicate = await fixture.IngestAsync(name, host.Services);
        var original = await first;

        Assert.Equal((ReceiptStatus.Succeeded, 6, 0, 1), (original.Status, original.PapersCreated, original.PapersUnchanged, original.Attempts));
        Assert.Equal(original.CompletedAt, duplicate.CompletedAt);
    }

    [Fact]
    public async Task AVersionHeldByAnInvocationThatDied_IsTakenOverWhenItsLeaseRunsOut()
    {
        var tag = TestPapers.Unique("orphan");
        var name = await fixture.UploadAsync(tag + ".json", TestPapers.Paper("Orphan " + tag, ["Orphan " + tag], "2021-01-01"));
        var etag = (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();
        await fixture.Services.GetRequiredService<ReceiptStore>().WriteAsync(new Receipt
        {
            Blob = name, BlobETag = etag, Status = ReceiptStatus.Processing, Attempts = 1, Owner = "died", LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(2),
        }, CancellationToken.None);

        var receipt = await fixture.IngestAsync(name);

        Assert.Equal((ReceiptStatus.Succeeded, 1, 2), (receipt.Status, receipt.PapersCreated, receipt.Attempts));
    }

    [Fact]
    public async Task ABlobOverwrittenWhileItIsRead_IsNeverRecordedAsDoneWithTheOtherVersionsContent()
    {
        // The version's content is read on condition of its ETag: the overwrite makes that read fail (412), the old
        // version's receipt says so, and the new version is ingested under its own receipt with its own content.
        var tag = TestPapers.Unique("overwritten");
        var name = await fixture.UploadAsync(tag + ".json", TestPapers.Paper("Old version " + tag, ["Old " + tag], "2021-01-01", id: $"sfx:{tag}-old"));
        var oldETag = (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();
        var blob = fixture.Storage.Abstracts.GetBlobClient(name);
        // Just before the first download of the content goes out (after the version's ETag was read).
        var overwrite = new BeforeFirstRequest(
            m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.EndsWith("/" + name, StringComparison.Ordinal) && !m.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal),
            async () => await blob.UploadAsync(BinaryData.FromString(TestPapers.Paper("New version " + tag, ["New " + tag], "2021-01-02", id: $"sfx:{tag}-new")), overwrite: true));
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(overwrite, HttpPipelinePosition.PerCall))));

        var ingest = host.Services.GetRequiredService<IIngestService>();
        var old = await ingest.IngestAsync(name, CancellationToken.None);
        var renewed = await ingest.IngestAsync(name, CancellationToken.None);

        Assert.True(overwrite.Ran);
        Assert.Equal(oldETag, old.BlobETag);
        var receipts = fixture.Services.GetRequiredService<ReceiptStore>();
        var stale = (await receipts.GetAsync(name, oldETag, CancellationToken.None)).Receipt!;
        Assert.Equal((ReceiptStatus.Failed, 0), (stale.Status, stale.PapersCreated));
        Assert.Contains("replaced while this version was read", Assert.Single(stale.Errors).Message, StringComparison.Ordinal);
        Assert.NotEqual(oldETag, renewed.BlobETag);
        Assert.Equal((ReceiptStatus.Succeeded, 1), (renewed.Status, renewed.PapersCreated));
        var store = fixture.Services.GetRequiredService<IPaperStore>();
        Assert.Null(await store.GetPaperAsync($"sfx:{tag}-old", CancellationToken.None));
        Assert.Equal("New version " + tag, (await store.GetPaperAsync($"sfx:{tag}-new", CancellationToken.None))?.Title);
    }

    [Fact]
    public async Task TheSweep_FinishesAFileLeftProcessingWithNoHolder_AndClosesOneWhoseBlobWasReplaced()
    {
        // Left "processing" by a process killed on the host's last attempt: no trigger comes again. The sweep ingests it
        // again (it resumes), and closes a receipt whose blob version is gone.
        var receipts = fixture.Services.GetRequiredService<ReceiptStore>();
        var tag = TestPapers.Unique("swept");
        var orphan = await fixture.UploadAsync(tag + "-orphan.json", TestPapers.Paper("Swept " + tag, ["Sweeper " + tag], "2021-04-04", id: $"sfx:{tag}-orphan"));
        var orphanETag = (await fixture.Storage.Abstracts.GetBlobClient(orphan).GetPropertiesAsync()).Value.ETag.ToString();
        await receipts.WriteAsync(new Receipt { Blob = orphan, BlobETag = orphanETag, Status = ReceiptStatus.Processing, Attempts = 2, Owner = "killed", LeaseUntil = DateTimeOffset.UtcNow.AddMinutes(-1) }, CancellationToken.None);
        var replaced = await fixture.UploadAsync(tag + "-replaced.json", TestPapers.Paper("Replaced " + tag, ["Sweeper " + tag], "2021-04-05"));
        await receipts.WriteAsync(new Receipt { Blob = replaced, BlobETag = "\"0xOLDVERSION\"", Status = ReceiptStatus.Processing, Attempts = 1, Owner = "killed", LeaseUntil = DateTimeOffset.UtcNow.AddMinutes(-1) }, CancellationToken.None);
        var held = await fixture.UploadAsync(tag + "-held.json", TestPapers.Paper("Held " + tag, ["Sweeper " + tag], "2021-04-06"));
        var heldETag = (await fixture.Storage.Abstracts.GetBlobClient(held).GetPropertiesAsync()).Value.ETag.ToString();
        await receipts.WriteAsync(new Receipt { Blob = held, BlobETag = heldETag, Status = ReceiptStatus.Processing, Attempts = 1, Owner = "alive", LeaseUntil = DateTimeOffset.UtcNow.AddMinutes(5) }, CancellationToken.None);

        var result = await fixture.Services.GetRequiredService<ReceiptSweeper>().SweepAsync(CancellationToken.None);

        Assert.True(result.Resumed >= 1 && result.Replaced >= 1, result.ToString());
        var finished = (await receipts.GetAsync(orphan, orphanETag, CancellationToken.None)).Receipt!;
        Assert.Equal((ReceiptStatus.Succeeded, 3), (finished.Status, finished.Attempts));
        Assert.NotNull(await fixture.Services.GetRequiredService<IPaperStore>().GetPaperAsync($"sfx:{tag}-orphan", CancellationToken.None));
        var closed = (await receipts.GetAsync(replaced, "\"0xOLDVERSION\"", CancellationToken.None)).Receipt!;
        Assert.Equal(ReceiptStatus.Failed, closed.Status);
        Assert.Contains("replaced before this version was ingested", Assert.Single(closed.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(ReceiptStatus.Processing, (await receipts.GetAsync(held, heldETag, CancellationToken.None)).Receipt!.Status);
    }

    private JsonElement HostJson() => JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.RepositoryRoot, "host.json"))).RootElement;

    /// <summary>The host's retries: the same blob again until its receipt is final (at most 5 attempts, as host.json allows).</summary>
    private async Task<Receipt> RetryAsync(string name, IServiceProvider services)
    {
        for (var attempt = 2; ; attempt++)
        {
            try
            {
                return await fixture.IngestAsync(name, services);
            }
            catch when (attempt < 5)
            {
            }
        }
    }

    private static Func<HttpMessage, bool> Match(string step) => step switch
    {
        "papers" => StorageFaults.WritesTo("/" + StorageNames.PapersTable),
        "aliases" => StorageFaults.WritesTo("/" + StorageNames.AliasesTable),
        "stats" => StorageFaults.WritesTo("/" + StorageNames.StatsTable),
        "view" => m => m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.Contains(StorageNames.CorpusContainer, StringComparison.Ordinal),
        // An author's rows and aggregate are one transaction ($batch); the name index and the ranking lists write
        // their pages in transactions too.
        "authors" => StorageFaults.TransactionsOn(StorageNames.AuthorsTable),
        "names" => StorageFaults.TransactionsOn(StorageNames.NameIndexTable),
        // The settle request: its generation row in Stats, and the queue message when one is due.
        "settle" => m => m.Request.Method != RequestMethod.Get && (m.Request.Uri.Path.Contains("RowKey='settle'", StringComparison.Ordinal) || m.Request.Uri.Path.Contains("/" + StorageNames.SettleQueue + "/messages", StringComparison.Ordinal)),
        "receipt" => StorageFaults.WritesTo("/" + StorageNames.ReceiptsTable),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };
}

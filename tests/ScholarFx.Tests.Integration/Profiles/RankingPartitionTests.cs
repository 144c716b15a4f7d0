using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Profiles;

/// <summary>
/// Issue 22: a ranking list is spread over a partition per category, figure and bucket, so no partition is hot; a page
/// merges one range query per bucket, and an account whose lists were written in the older layout gets them rebuilt.
/// </summary>
public sealed class RankingPartitionTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AListSpreadOverBuckets_ReadsBestFirst_PageByPage_EachAuthorOnce()
    {
        var store = fixture.Services.GetRequiredService<IRankingStore>();
        var category = "cs." + TestPapers.Unique("buckets");
        // 30 authors, values with ties (ties of authors listed at one time go by author id), moved in one call.
        var entries = Enumerable.Range(0, 30).Select(i => new RankEntry($"bucket-author-{i:D2}", $"Author {i}", i % 10, 1, category)).ToList();
        await store.MoveManyAsync(category, [.. entries.Select(e => new RankMove(new Dictionary<string, RankEntry>(), new Dictionary<string, RankEntry> { ["hIndex"] = e }))], CancellationToken.None);

        var read = new List<RankEntry>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await store.GetPageAsync(category, "hIndex", next, 7, CancellationToken.None);
            Assert.InRange(page.Entries.Count, 1, 7);
            read.AddRange(page.Entries);
            next = page.ContinuationToken;
            pages++;
        }
        while (next is not null);

        Assert.Equal(5, pages);
        Assert.Equal([.. entries.OrderByDescending(e => e.Value).ThenBy(e => e.AuthorId, StringComparer.Ordinal).Select(e => e.AuthorId)], read.Select(e => e.AuthorId));
        var partitions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in fixture.Storage.Rankings.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            if (row.PartitionKey.StartsWith(category + "|", StringComparison.Ordinal))
            {
                partitions.Add(row.PartitionKey);
            }
        }

        Assert.Equal(Enumerable.Range(0, RankingStore.Buckets).Select(b => $"{category}|hIndex|{b}").Order(), partitions.Order());

        // A move within the list stays one row: the author's old row goes in the same transaction.
        var moved = entries[0] with { Value = 99 };
        await store.MoveManyAsync(category, [new RankMove(new Dictionary<string, RankEntry> { ["hIndex"] = entries[0] }, new Dictionary<string, RankEntry> { ["hIndex"] = moved })], CancellationToken.None);
        var top = await store.GetPageAsync(category, "hIndex", null, 100, CancellationToken.None);
        Assert.Equal(moved, top.Entries[0]);
        Assert.Equal(30, top.Entries.Count);
        Assert.Null(top.ContinuationToken);
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetPageAsync(category, "hIndex", "forged", 10, CancellationToken.None));
    }

    [Fact]
    public async Task ARefresh_ChangesOnlyWhatAnEntryShows_AndOneWrittenAfterTheAuthorMovedElsewhere_ListsNobodyTwice()
    {
        var store = fixture.Services.GetRequiredService<IRankingStore>();
        var category = "cs." + TestPapers.Unique("refresh");
        static Dictionary<string, RankEntry> By(RankEntry entry) => new() { ["hIndex"] = entry };
        var ada = new RankEntry("refresh-ada", "Ada", 3, 1, category, Since: 1);
        var bo = new RankEntry("refresh-bo", "Bo", 2, 1, category, Since: 2);
        await store.MoveManyAsync(category, [new RankMove(new Dictionary<string, RankEntry>(), By(ada)), new RankMove(new Dictionary<string, RankEntry>(), By(bo))], CancellationToken.None);

        // Ada's paper count moved and nothing else: her entry shows it where it stands. A refresh written late (another
        // instance's, of an earlier count) does not undo a newer one: the larger count is the later.
        var adaTwo = ada with { PaperCount = 2 };
        var adaThree = ada with { PaperCount = 3 };
        Assert.Empty(await store.MoveManyAsync(category, [new RankMove(By(ada), By(adaTwo)) { Refresh = true }], CancellationToken.None));
        Assert.Empty(await store.MoveManyAsync(category, [new RankMove(By(adaTwo), By(adaThree)) { Refresh = true }], CancellationToken.None));
        Assert.Empty(await store.MoveManyAsync(category, [new RankMove(By(ada), By(adaTwo)) { Refresh = true }], CancellationToken.None));
        // Another instance moved Bo (a new figure) before this one's refresh of his old entry was written: the refresh
        // finds his entry gone and is dropped — not put back beside the new one, and not reported for repair.
        var boMoved = bo with { Value = 5, PaperCount = 3 };
        await store.MoveManyAsync(category, [new RankMove(By(bo), By(boMoved))], CancellationToken.None);
        Assert.Empty(await store.MoveManyAsync(category, [new RankMove(By(bo), By(bo with { PaperCount = 2 })) { Refresh = true }], CancellationToken.None));

        var page = await store.GetPageAsync(category, "hIndex", null, 10, CancellationToken.None);
        Assert.Equal([boMoved, adaThree], page.Entries);
    }

    [Fact]
    public async Task TiesAreListedInTheOrderTheAuthorsWereFirstListed_SoABatchOfNewAuthorsIsWrittenToTheLastPagesAlone()
    {
        var counter = new RequestCounter();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var store = host.Services.GetRequiredService<IRankingStore>();
        static RankMove New(RankEntry entry) => new(new Dictionary<string, RankEntry>(), new Dictionary<string, RankEntry> { ["hIndex"] = entry });

        // 3,000 authors of one value already listed (several pages a bucket), then 100 new ones of the same value whose
        // ids fall all over the list: with the listing time in the key they go to each bucket's last page; by id alone
        // (an author listed before the listing time was kept) they fall on most pages.
        async Task<long> PageWritesAsync(string category, bool since)
        {
            var listed = Enumerable.Range(0, 3_000).Select(i => new RankEntry($"tie-{(i * 7_919) % 10_000:D4}", $"Listed {i}", 1, 1, category, since ? 1_000 + i : 0)).ToList();
            await store.MoveManyAsync(category, [.. listed.Select(New)], CancellationToken.None);
            var before = counter.Operations(StorageNames.RankingsTable);
            var joining = Enumerable.Range(0, 100).Select(i => new RankEntry($"tie-{(i * 97) % 10_000:D4}-new", $"New {i}", 1, 1, category, since ? 10_000 + i : 0)).ToList();
            await store.MoveManyAsync(category, [.. joining.Select(New)], CancellationToken.None);
            return counter.Operations(StorageNames.RankingsTable) - before;
        }

        var byListing = "cs." + TestPapers.Unique("since");
        var inListingOrder = await PageWritesAsync(byListing, since: true);
        var byId = await PageWritesAsync("cs." + TestPapers.Unique("byid"), since: false);

        Assert.InRange(inListingOrder, 1, 2 * RankingStore.Buckets);
        Assert.True(byId > 2 * inListingOrder, $"{byId} page writes by id, {inListingOrder} in listing order");
        // Read best first: within the tie, those listed first come first, the new ones last.
        var all = await store.GetPageAsync(byListing, "hIndex", null, 100, CancellationToken.None);
        Assert.Equal([.. Enumerable.Range(0, 100).Select(i => $"tie-{(i * 7_919) % 10_000:D4}")], all.Entries.Select(e => e.AuthorId));
        var last = new List<RankEntry>();
        for (var page = all; page.ContinuationToken is { } next;)
        {
            page = await store.GetPageAsync(byListing, "hIndex", next, 100, CancellationToken.None);
            last = [.. last.Concat(page.Entries).TakeLast(100)];
        }

        Assert.Equal([.. Enumerable.Range(0, 100).Select(i => $"tie-{(i * 97) % 10_000:D4}-new")], last.Select(e => e.AuthorId));
    }

    [Fact]
    public async Task APackedList_IsWrittenPageByPage_AndAnInstanceWhosePagesAreStale_ReadsAgain_AndNeverListsAnAuthorTwice()
    {
        var category = "cs." + TestPapers.Unique("pages");
        static Dictionary<string, RankEntry> By(RankEntry? e) => e is null ? [] : new() { ["hIndex"] = e };
        var first = new RankingStore(fixture.Storage, Options.Create(new RankingOptions()));
        var second = new RankingStore(fixture.Storage, Options.Create(new RankingOptions()));
        var entries = Enumerable.Range(0, 1_200).Select(i => new RankEntry($"paged-author-{i:D4}", $"Author {i}", i % 9, 1, category)).ToList();

        Assert.Empty(await first.MoveManyAsync(category, [.. entries.Select(e => new RankMove(By(null), By(e)))], CancellationToken.None));
        var pages = 0;
        await foreach (var _ in fixture.Storage.Rankings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey gt {category + "|"} and PartitionKey lt {category + "}"}"), select: ["RowKey"]))
        {
            pages++;
        }

        // 1,200 entries over four buckets fill pages of up to 200: far fewer entities than entries.
        Assert.InRange(pages, 4, 24);

        // The second instance moves author 7; the first, whose pages are now stale, moves author 7 from where it last
        // saw them and author 8: its write fails on the changed page, it reads the list again, moves author 8, and
        // leaves author 7 to be set from the profile.
        var moved = entries[7] with { Value = 50 };
        Assert.Empty(await second.MoveManyAsync(category, [new RankMove(By(entries[7]), By(moved))], CancellationToken.None));
        var stale = await first.MoveManyAsync(category, [new RankMove(By(entries[7]), By(entries[7] with { Value = 40 })), new RankMove(By(entries[8]), By(entries[8] with { Value = 45 }))], CancellationToken.None);
        Assert.Equal(["paged-author-0007"], stale);

        var read = new List<RankEntry>();
        string? next = null;
        do
        {
            var page = await second.GetPageAsync(category, "hIndex", next, 250, CancellationToken.None);
            read.AddRange(page.Entries);
            next = page.ContinuationToken;
        }
        while (next is not null);

        Assert.Equal(1_200, read.Count);
        Assert.Equal(1_200, read.DistinctBy(e => e.AuthorId).Count());
        Assert.Equal([moved, entries[8] with { Value = 45 }], read.Take(2));
        Assert.Equal([.. read.OrderByDescending(e => e.Value).ThenBy(e => e.AuthorId, StringComparer.Ordinal)], read);

        // The repair path sets author 7 from what the caller wants, on the versions it read.
        var found = await first.FindAsync(category, moved.AuthorId, ["hIndex"], CancellationToken.None);
        Assert.Equal([("hIndex", moved)], found.Entries);
        Assert.True(await first.ReplaceAsync(found, By(moved with { Value = 40 }), CancellationToken.None));
        var top = await first.GetPageAsync(category, "hIndex", null, 3, CancellationToken.None);
        Assert.Equal(["paged-author-0008", "paged-author-0007"], top.Entries.Take(2).Select(e => e.AuthorId));
        Assert.Single(((await first.FindAsync(category, moved.AuthorId, ["hIndex"], CancellationToken.None)).Entries));
    }

    [Fact]
    public async Task AnAccountWithListsInTheOlderLayout_GetsEveryProfileListedAgain_AtItsFirstSettling_AndTheOldTableDeleted()
    {
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var category = "cs." + TestPapers.Unique("layout");
        var names = Enumerable.Range(0, 3).Select(i => TestPapers.Unique($"Layout{i} Author")).ToList();
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("layout") + ".jsonl", TestPapers.Lines(
            [.. names.Select((n, i) => TestPapers.Paper("Layout paper " + n, [n], "2024-02-0" + (i + 1), citations: 10 * (i + 1), category: category))])), host.Services);
        await host.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None);
        var lists = host.Services.GetRequiredService<IProfileLists>();
        Assert.Equal(3, (await lists.ListAsync(category, "citations", null, 10, CancellationToken.None)).Value!.Items.Count);

        // The account as an older version left it: lists in a table of their own, none in the current one.
        var legacy = fixture.Storage.TableService.GetTableClient(StorageNames.LegacyRankingsTable);
        await legacy.CreateIfNotExistsAsync();
        await legacy.UpsertEntityAsync(new TableEntity(category, "citations|x"));
        await foreach (var row in fixture.Storage.Rankings.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await fixture.Storage.Rankings.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        Assert.Empty((await lists.ListAsync(category, "citations", null, 10, CancellationToken.None)).Value!.Items);

        // A new instance's first settling lists every profile again, best first, and deletes the old table.
        using var upgraded = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        Assert.True((await upgraded.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None)).Ran);

        var listed = (await lists.ListAsync(category, "citations", null, 10, CancellationToken.None)).Value!.Items;
        Assert.Equal(names.AsEnumerable().Reverse().Select(AuthorKey.FromName), listed.Select(e => e.AuthorId));
        Assert.Equal([30L, 20L, 10L], listed.Select(e => e.Value));
        Assert.Empty(await fixture.TablesNamedAsync(StorageNames.LegacyRankingsTable));
    }
}

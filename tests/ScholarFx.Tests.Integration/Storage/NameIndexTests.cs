using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Storage;

/// <summary>The name index packed into pages: found by a word's prefix across pages, paged by cursor, rebuilt from an older layout.</summary>
public sealed class NameIndexTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IAuthorStore Authors => fixture.Services.GetRequiredService<IAuthorStore>();

    [Fact]
    public async Task NamesGivenWhileAnotherCallerWrites_AreWrittenTogetherInTheNextTurn()
    {
        var family = TestPapers.Unique("Grp").ToLowerInvariant();
        NameHit Hit(int i) => new($"given{i}-{family}", $"Given{i} {family}", 1, "cs.CL");
        var counter = new RequestCounter();
        IAuthorStore? store = null;
        var queued = new List<Task>();
        // While the first caller's write is under way, two more callers of this process give their names.
        var hold = new BeforeFirstRequest(message => message.Request.Uri.Path.Contains(StorageNames.NameIndexTable, StringComparison.Ordinal), () =>
        {
            queued.Add(store!.IndexNamesAsync([Hit(1)], CancellationToken.None));
            queued.Add(store!.IndexNamesAsync([Hit(2)], CancellationToken.None));
            return Task.CompletedTask;
        });
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o =>
        {
            o.AddPolicy(hold, Azure.Core.HttpPipelinePosition.PerCall);
            o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall);
        })));
        store = host.Services.GetRequiredService<IAuthorStore>();

        await store.IndexNamesAsync([Hit(0)], CancellationToken.None);
        await Task.WhenAll(queued);

        Assert.True(hold.Ran);
        // Each name touches two partitions (its given name's and its family's first letters): the first caller's turn
        // writes two transactions, the next turn the other two names in two more, and the last finds nothing left.
        Assert.Equal(4, counter.Requests(StorageNames.NameIndexTable) - counter.Requests(StorageNames.NameIndexTable, "GET"));
        var (found, _) = await store.FindByTokenPrefixAsync(family, null, 10, CancellationToken.None);
        Assert.Equal([Hit(0).Id, Hit(1).Id, Hit(2).Id], found.Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ManyAuthorsOfOneWord_SpanSeveralPages_AndAreFoundOnceEach_InWordOrder_ThroughCursors()
    {
        // 450 authors share a family word: one partition, more than two pages of 200.
        var family = TestPapers.Unique("Pqz").ToLowerInvariant();
        var hits = Enumerable.Range(0, 450).Select(i => new NameHit($"given{i:D3}-{family}", $"Given{i:D3} {family}", 1 + (i % 3), "cs.CL")).ToList();
        await Authors.IndexNamesAsync(hits.Take(300).ToList(), CancellationToken.None);
        await Authors.IndexNamesAsync(hits.Skip(300).ToList(), CancellationToken.None);
        // A later hit for an author replaces the entry (its paper count moved).
        await Authors.IndexNamesAsync([hits[7] with { PaperCount = 9 }], CancellationToken.None);

        var found = new List<NameHit>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (page, next) = await Authors.FindByTokenPrefixAsync(family, cursor, 100, CancellationToken.None);
            Assert.InRange(page.Count, 1, 100);
            found.AddRange(page);
            cursor = next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(5, pages);
        Assert.Equal(hits.Select(h => h.Id), found.Select(h => h.Id));
        Assert.Equal(9, found[7].PaperCount);
        Assert.Equal(hits[8], found[8]);

        // By a given name's word: that author alone (other words of the partition sort outside the prefix's range).
        var (given, more) = await Authors.FindByTokenPrefixAsync("given123", null, 10, CancellationToken.None);
        Assert.Contains(given, h => h.Id == hits[123].Id);
        Assert.DoesNotContain(given, h => h.Id == hits[124].Id);
        Assert.Null(more);
    }

    [Fact]
    public async Task ACursorItDidNotIssue_IsRefused_AndOneBeforeThePrefix_StartsAtThePrefix()
    {
        var family = TestPapers.Unique("Xqv").ToLowerInvariant();
        await Authors.IndexNamesAsync([new NameHit("ann-" + family, "Ann " + family, 1, null)], CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => Authors.FindByTokenPrefixAsync(family, "not a cursor", 10, CancellationToken.None));
        var (hits, _) = await Authors.FindByTokenPrefixAsync(family, "k|a", 10, CancellationToken.None);
        Assert.Equal(["ann-" + family], hits.Select(h => h.Id));
    }

    [Fact]
    public async Task AnAccountWithTheNameIndexAsRows_GetsEveryProfileIndexedAgain_AtItsFirstSettling_AndTheOldTableDeleted()
    {
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var family = TestPapers.Unique("Layoutname");
        var names = Enumerable.Range(0, 3).Select(i => $"Given{i} {family}").ToList();
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("names") + ".jsonl", TestPapers.Lines(
            [.. names.Select((n, i) => TestPapers.Paper("Named paper " + n, [n], "2024-02-0" + (i + 1)))])), host.Services);
        var profiles = fixture.Services.GetRequiredService<IProfileQueries>();
        Assert.Equal(3, (await profiles.FindAsync(family, null, 10, CancellationToken.None)).Value!.Items.Count);

        // The account as an older version left it: the index as a row per word in a table of its own (here the first
        // author's family-word row alone), nothing in the pages.
        var legacy = fixture.Storage.TableService.GetTableClient(StorageNames.LegacyNameIndexTable);
        await legacy.CreateIfNotExistsAsync();
        var first = AuthorKey.FromName(names[0]);
        var word = family.ToLowerInvariant();
        await legacy.UpsertEntityAsync(new TableEntity(TableKey.Escape(word[..2]), TableKey.Escape(word + " " + first)) { ["AuthorId"] = first, ["Name"] = names[0], ["PaperCount"] = 1 });
        await foreach (var row in fixture.Storage.NameIndex.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await fixture.Storage.NameIndex.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        // Until the first settling after the upgrade, a new instance's search reads the rows.
        using var upgraded = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var search = upgraded.Services.GetRequiredService<IProfileQueries>();
        Assert.Equal([first], (await search.FindAsync(family, null, 10, CancellationToken.None)).Value!.Items.Select(h => h.Id));

        Assert.True((await upgraded.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None)).Ran);

        var found = (await search.FindAsync(family, null, 10, CancellationToken.None)).Value!.Items;
        Assert.Equal(names.Select(AuthorKey.FromName).Order(StringComparer.Ordinal), found.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await fixture.TablesNamedAsync(StorageNames.LegacyNameIndexTable));
    }
}

using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Storage;

public sealed class ProfileStorageTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IProfileQueries Profiles => fixture.Services.GetRequiredService<IProfileQueries>();

    [Fact]
    public async Task AuthorPapers_PageNewestFirstThroughContinuationTokens_WithoutGapsOrRepeats()
    {
        var author = TestPapers.Unique("Prolific Author");
        var start = new DateOnly(2020, 1, 1);
        var lines = Enumerable.Range(0, 45).Select(i => TestPapers.Paper($"Work {i} {author}", [author], start.AddDays(i * 3).ToString("yyyy-MM-dd"))).ToArray();
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("prolific") + ".jsonl", TestPapers.Lines(lines)));
        var id = AuthorKey.FromName(author);

        var profile = JsonDocument.Parse((await Profiles.GetProfileAsync(id, CancellationToken.None))!.Json).RootElement;
        var seen = profile.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("published").GetString()!).ToList();
        var next = profile.GetProperty("nextPapers").GetString();
        var pages = 1;
        while (next is not null)
        {
            var cursor = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + next).Query)["cursor"];
            var page = await Profiles.GetPapersAsync(id, cursor, 20, CancellationToken.None);
            seen.AddRange(page.Value!.Items.Select(p => p.Published));
            next = page.Value.Next;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(45, seen.Count);
        Assert.Equal(45, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(d => d, StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task GetPapers_RejectsACursorItDidNotIssue()
    {
        var result = await Profiles.GetPapersAsync("anyone", "not a cursor!", null, CancellationToken.None);

        Assert.NotNull(result.Problem);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a b c d")]
    [InlineData("1!p_ 1!zz")]
    public async Task GetPapers_RejectsADecodableCursorItDidNotIssue(string token)
    {
        var author = TestPapers.Unique("Cursor Author");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("cursor") + ".json", TestPapers.Paper("Cursor", [author], "2020-01-01")));

        var result = await Profiles.GetPapersAsync(AuthorKey.FromName(author), Cursor.Encode(token), null, CancellationToken.None);

        // Either refused as a bad cursor or read as a position past the rows; never an exception (a 500).
        Assert.True(result.Problem is not null || result.Value is not null);
    }

    [Fact]
    public async Task FindByName_MatchesNamePrefixesInAnyOrder()
    {
        var family = TestPapers.Unique("Zqx");
        var author = "Henrietta " + family;
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("find") + ".json", TestPapers.Paper("Findable", [author], "2020-01-01")));

        var byFamily = await Profiles.FindAsync(family[..5], null, null, CancellationToken.None);
        var byBoth = await Profiles.FindAsync($"{family} henri", null, null, CancellationToken.None);
        var wrongGiven = await Profiles.FindAsync($"{family} bob", null, null, CancellationToken.None);

        Assert.Contains(byFamily.Value!.Items, h => h.Id == AuthorKey.FromName(author));
        Assert.Contains(byBoth.Value!.Items, h => h.Name == author);
        Assert.Empty(wrongGiven.Value!.Items);
    }

    [Fact]
    public async Task ABatchsAuthors_AreIndexedWithATransactionPerNamePartition_AndFoundWithTheirPaperCounts()
    {
        // Twelve authors of one family over six papers: the family's word is one index partition for all of them.
        var family = TestPapers.Unique("Qvw");
        string[] given = ["Abel", "Bruno", "Carla", "Dora", "Emil", "Fiona", "Gustav", "Hilde", "Ines", "Jonas", "Karla", "Luis"];
        var authors = given.Select(g => $"{g} {family}").ToArray();
        var lines = Enumerable.Range(0, 6).Select(i => TestPapers.Paper($"Indexed {i} {family}", [authors[2 * i], authors[(2 * i) + 1], authors[(2 * i + 2) % 12]], $"2020-0{i + 1}-01")).ToArray();
        var counter = new RequestCounter();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));

        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("indexed") + ".jsonl", TestPapers.Lines(lines)), host.Services);

        // One write per partition the entries fall in (the given names' and the family's, whose word is also in the
        // ids), not one per entry (24: two words of each of the twelve); a new host reads each partition's pages once.
        var partitions = given.Select(g => g.ToLowerInvariant()[..2]).Append(family.ToLowerInvariant()[..2]).Distinct().Count();
        Assert.Equal(partitions, counter.Requests($"$batch ({StorageNames.NameIndexTable})", "POST"));
        Assert.Equal(partitions, counter.Requests(StorageNames.NameIndexTable, "GET"));
        Assert.Equal(2 * partitions, counter.Requests(StorageNames.NameIndexTable));
        var found = (await Profiles.FindAsync(family, null, 100, CancellationToken.None)).Value!.Items;
        Assert.Equal(authors.Select(AuthorKey.FromName).Order(StringComparer.Ordinal), found.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, Assert.Single(found, h => h.Id == AuthorKey.FromName(authors[0])).PaperCount);
        Assert.Equal(1, Assert.Single(found, h => h.Id == AuthorKey.FromName(authors[1])).PaperCount);
    }

    [Fact]
    public async Task FindByName_TreatsODataSyntaxAsText()
    {
        var result = await Profiles.FindAsync("x' or PartitionKey ne '", null, null, CancellationToken.None);

        Assert.Null(result.Problem);
        Assert.Empty(result.Value!.Items);
    }

    [Fact]
    public async Task Rescore_RecordsItsRun_AndRebuildsNoProfileWhenNoScoreChanged()
    {
        var author = TestPapers.Unique("Rescored Author");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("rescore") + ".json", TestPapers.Paper("Rescored", [author], "2020-01-01", citations: 4)));
        var rescore = fixture.Services.GetRequiredService<IRescoreService>();
        await rescore.RunAsync(recomputeAll: true, CancellationToken.None);
        var before = await Profiles.GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None);

        var again = await rescore.RunAsync(recomputeAll: true, CancellationToken.None);

        var after = await Profiles.GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None);
        Assert.Equal(0, again.PapersChanged);
        Assert.Equal(0, again.ProfilesRebuilt);
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Equal(4, JsonDocument.Parse(after.Json).RootElement.GetProperty("citationCount").GetInt32());
        var last = await fixture.Services.GetRequiredService<RescoreRunStore>().LastAsync(CancellationToken.None);
        Assert.Equal(again.Id, last?.Id);
        Assert.Equal(RescorePhase.Succeeded, last?.Phase);
    }

    [Fact]
    public async Task AuthorsInAPartitionOfTheirOwn_AreServed_MovedToTheirBucketOnTheNextChange_AndTheRestAtTheFirstSettling()
    {
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var first = TestPapers.Unique("Partition Author");
        var second = TestPapers.Unique("Partition Rows");
        var third = TestPapers.Unique("Partition Own");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("legacy") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("Partition one " + first, [first], "2020-01-01"), TestPapers.Paper("Partition rows " + second, [second], "2020-02-01"),
            TestPapers.Paper("Partition own " + third, [third], "2020-03-01"))), host.Services);
        var (a, b, c) = (AuthorKey.FromName(first), AuthorKey.FromName(second), AuthorKey.FromName(third));
        var papersOfB = await host.Services.GetRequiredService<IAuthorStore>().ReadPapersAsync(b, CancellationToken.None);
        var profileOfB = (await host.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(b, CancellationToken.None))!.Json;

        // The account as older versions left it: a partition per author, the first author's aggregate under the row key
        // shared by every aggregate before it was made unique, the second's papers as rows beside a profile of its own.
        var legacy = fixture.Storage.TableService.GetTableClient(StorageNames.LegacyAuthorsTable);
        await legacy.CreateIfNotExistsAsync();
        var rowA = (await fixture.Storage.Authors.GetEntityAsync<TableEntity>(AuthorKeys.Partition(a), AuthorStore.AggregateRowKey(a))).Value;
        await legacy.AddEntityAsync(new TableEntity(rowA) { PartitionKey = TableKey.Escape(a), RowKey = "aggregate" });
        var rowB = new TableEntity(TableKey.Escape(b), AuthorStore.AggregateRowKey(b)) { ["AuthorId"] = b, ["Name"] = second, ["PaperCount"] = 1, ["ContentTag"] = "old" };
        TableChunks.WriteCompressed(rowB, "Profile", profileOfB, 15);
        rowB["LedgerChunks"] = 0;
        await legacy.AddEntityAsync(rowB);
        var paper = Assert.Single(papersOfB);
        await legacy.AddEntityAsync(new TableEntity(TableKey.Escape(b), paper.RowKey) { ["PaperId"] = paper.Id, ["Title"] = paper.Title, ["Published"] = "2020-02-01", ["AuthorName"] = second, ["AuthorCount"] = 1 });
        var rowC = (await fixture.Storage.Authors.GetEntityAsync<TableEntity>(AuthorKeys.Partition(c), AuthorStore.AggregateRowKey(c))).Value;
        await legacy.AddEntityAsync(new TableEntity(rowC) { PartitionKey = TableKey.Escape(c) });
        foreach (var id in new[] { a, b, c })
        {
            await fixture.Storage.Authors.DeleteEntityAsync(AuthorKeys.Partition(id), AuthorStore.AggregateRowKey(id));
        }

        // In an account without shared-key rows a returning author this instance has not seen is written as new, without
        // a read: the commit finds it in the older layout, so it is read there and moved with both papers.
        using var upgraded = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var profiles = upgraded.Services.GetRequiredService<IProfileQueries>();
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("legacy") + ".json", TestPapers.Paper("Partition own two " + third, [third], "2021-03-01")), upgraded.Services);
        Assert.Equal(2, JsonDocument.Parse((await profiles.GetProfileAsync(c, CancellationToken.None))!.Json).RootElement.GetProperty("paperCount").GetInt32());
        Assert.Empty(await RowsAsync(legacy, TableKey.Escape(c)));

        // Shared-key rows are read in an account started before they went (its corpus row lacks the mark).
        await fixture.Storage.Stats.UpsertEntityAsync(new TableEntity("stats", "corpus") { ["UniqueAggregateKeys"] = false }, TableUpdateMode.Merge);
        Assert.Equal(1, JsonDocument.Parse((await profiles.GetProfileAsync(a, CancellationToken.None))!.Json).RootElement.GetProperty("paperCount").GetInt32());
        Assert.Equal(profileOfB, (await profiles.GetProfileAsync(b, CancellationToken.None))!.Json);
        Assert.Equal([paper.Id], (await profiles.GetPapersAsync(b, null, 10, CancellationToken.None)).Value!.Items.Select(p => p.Id));

        // The first author's next paper moves it to its bucket, with both papers.
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("legacy") + ".json", TestPapers.Paper("Partition two " + first, [first], "2021-01-01")), upgraded.Services);
        Assert.Equal(2, JsonDocument.Parse((await profiles.GetProfileAsync(a, CancellationToken.None))!.Json).RootElement.GetProperty("paperCount").GetInt32());
        Assert.True((await fixture.Storage.Authors.GetEntityIfExistsAsync<TableEntity>(AuthorKeys.Partition(a), AuthorStore.AggregateRowKey(a))).HasValue);
        Assert.Empty(await RowsAsync(legacy, TableKey.Escape(a)));

        // The first settling moves the rest and deletes the old table.
        Assert.True((await upgraded.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None)).Ran);
        Assert.Empty(await fixture.TablesNamedAsync(StorageNames.LegacyAuthorsTable));
        Assert.Equal([paper.Id], (await upgraded.Services.GetRequiredService<IAuthorStore>().ReadPapersAsync(b, CancellationToken.None)).Select(p => p.Id));
        Assert.Equal([paper.Id], (await profiles.GetPapersAsync(b, null, 10, CancellationToken.None)).Value!.Items.Select(p => p.Id));
        Assert.Equal(1, JsonDocument.Parse((await profiles.GetProfileAsync(b, CancellationToken.None))!.Json).RootElement.GetProperty("paperCount").GetInt32());
    }

    private static async Task<List<string>> RowsAsync(TableClient table, string partition)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }

    [Fact]
    public async Task ABucketsAuthors_AreCommittedInOneTransaction_AndOneThatLostARace_FailsAlone()
    {
        var counter = new RequestCounter();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var store = host.Services.GetRequiredService<IAuthorStore>();
        var stem = TestPapers.Unique("bucket");
        var ids = Enumerable.Range(0, 400).Select(i => $"{stem}-{i}").GroupBy(AuthorKeys.Partition).First(g => g.Count() >= 3).Take(3).ToList();
        StoredAggregate Aggregate(string id, string tag) => new(id, "Bucket " + id, "{}", tag, 1, null, default) { Ledger = [Row(id, 1)] };

        var first = await store.TryCommitManyAsync([.. ids.Select(id => new AuthorCommit(id, [], Aggregate(id, "one"), null))], CancellationToken.None);
        Assert.All(first, tag => Assert.NotNull(tag));
        Assert.Equal(1, counter.Requests(StorageNames.AuthorsTable));
        var stored = ids.Select((id, i) => Aggregate(id, "one") with { ETag = first[i]!.Value }).ToList();

        // Another writer changed the second author since: its commit on the older ETag fails; the others are written.
        Assert.NotNull(await store.TryCommitAsync(ids[1], [], Aggregate(ids[1], "other"), stored[1], CancellationToken.None));
        var second = await store.TryCommitManyAsync([.. ids.Select((id, i) => new AuthorCommit(id, [], Aggregate(id, "two"), stored[i]))], CancellationToken.None);

        Assert.Equal([true, false, true], second.Select(tag => tag is not null));
        // The failed transaction names the commit that failed; the other two go again together.
        Assert.Equal(1 + 1 + 2, counter.Requests(StorageNames.AuthorsTable));
        var tags = new List<string?>();
        foreach (var id in ids)
        {
            tags.Add((await store.GetAggregateAsync(id, CancellationToken.None))?.ContentTag);
        }

        Assert.Equal(["two", "other", "two"], tags);
        // A new author that is already there fails alone too.
        var again = await store.TryCommitManyAsync([new AuthorCommit(ids[0], [], Aggregate(ids[0], "three"), null), new AuthorCommit(stem + "-new", [], Aggregate(stem + "-new", "new"), null)], CancellationToken.None);
        Assert.Equal([false, true], again.Select(tag => tag is not null));
    }

    [Fact]
    public async Task ATransactionWithManyLostRaces_IsSentAgainOnlyAFewTimes_ThenItsRestGoAlone()
    {
        var counter = new RequestCounter();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var store = host.Services.GetRequiredService<IAuthorStore>();
        var stem = TestPapers.Unique("losers");
        var ids = Enumerable.Range(0, 2_000).Select(i => $"{stem}-{i}").GroupBy(AuthorKeys.Partition).First(g => g.Count() >= 40).Take(40).OrderBy(AuthorStore.AggregateRowKey, StringComparer.Ordinal).ToList();
        StoredAggregate Aggregate(string id, string tag) => new(id, "Loser " + id, "{}", tag, 1, null, default) { Ledger = [Row(id, 1)] };
        var first = await store.TryCommitManyAsync([.. ids.Select(id => new AuthorCommit(id, [], Aggregate(id, "one"), null))], CancellationToken.None);
        var stored = ids.Select((id, i) => Aggregate(id, "one") with { ETag = first[i]!.Value }).ToList();
        // Another writer changed thirty of the forty since.
        for (var i = 0; i < 30; i++)
        {
            Assert.NotNull(await store.TryCommitAsync(ids[i], [], Aggregate(ids[i], "other"), stored[i], CancellationToken.None));
        }

        var before = counter.Operations(StorageNames.AuthorsTable);
        var second = await store.TryCommitManyAsync([.. ids.Select((id, i) => new AuthorCommit(id, [], Aggregate(id, "two"), stored[i]))], CancellationToken.None);

        Assert.Equal(ids.Select((_, i) => i >= 30), second.Select(tag => tag is not null));
        // The transaction is sent four times (40 + 39 + 38 + 37 operations), then each of the other 36 on its own: a
        // resend for every lost race would have sent 40 + 39 + … + 10 = 775.
        Assert.InRange(counter.Operations(StorageNames.AuthorsTable) - before, 0, 154 + 36);
    }

    [Fact]
    public async Task ManyAuthorsOfABucket_AreReadWithOneRangeQuery_AndTheFewOfOthersOneByOne()
    {
        var counter = new RequestCounter();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var store = host.Services.GetRequiredService<IAuthorStore>();
        var stem = TestPapers.Unique("range");
        var byBucket = Enumerable.Range(0, 2_000).Select(i => $"{stem}-{i}").GroupBy(AuthorKeys.Partition).ToList();
        var crowded = byBucket.First(g => g.Count() >= 41).Take(40).ToList();
        var others = byBucket.Where(g => g.Key != AuthorKeys.Partition(crowded[0])).Take(2).Select(g => g.First()).ToList();
        StoredAggregate Aggregate(string id) => new(id, "Range " + id, "{}", "tag-" + id, 1, "cs.LG", default) { Ledger = [Row(id, 1)] };
        Assert.All(await store.TryCommitManyAsync([.. crowded.Concat(others).Select(id => new AuthorCommit(id, [], Aggregate(id), null))], CancellationToken.None), tag => Assert.NotNull(tag));

        // Every other author of the crowded bucket, one of it that was never stored, and the two of other buckets.
        var wanted = crowded.Where((_, i) => i % 2 == 0).ToList();
        var missing = byBucket.First(g => g.Key == AuthorKeys.Partition(crowded[0])).Skip(40).First();
        var before = counter.Requests(StorageNames.AuthorsTable, "GET");
        var read = await store.GetAggregatesAsync([.. wanted, missing, .. others], CancellationToken.None, legacyKey: false);

        Assert.Equal(wanted.Concat(others).Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        // One range query for the twenty (and the one missing: the range answered for it), a point read for each other.
        Assert.Equal(1 + others.Count, counter.Requests(StorageNames.AuthorsTable, "GET") - before);
        foreach (var (id, aggregate) in read)
        {
            var alone = (await store.GetAggregateAsync(id, CancellationToken.None, legacyKey: false))!;
            Assert.Equal((alone.ContentTag, alone.ETag, alone.RowKey, alone.Ledger!.Single().Id), (aggregate.ContentTag, aggregate.ETag, aggregate.RowKey, aggregate.Ledger!.Single().Id));
        }
    }

    [Fact]
    public async Task ANewAuthorsRowsBeyondOneTransaction_AreStoredOnlyAfterAnAggregateRow()
    {
        // Writers read a new author's ledger as empty, without a partition query: rows must never be stored while the
        // author has no aggregate row, even when there are more than one transaction holds. Papers are kept as rows
        // when they do not fit the ledger: these 300 long rows do not.
        var store = fixture.Services.GetRequiredService<IAuthorStore>();
        var id = AuthorKey.FromName(TestPapers.Unique("Many Rows"));
        var changes = Enumerable.Range(0, 300).Select(i => new AuthorRowChange(id, Row(id, i, wide: true), null)).ToList();
        var aggregate = new StoredAggregate(id, "Many Rows", "{}", "t", 300, null, default) { Ledger = [.. changes.Select(c => c.Upsert!)] };
        Assert.False(AuthorStore.LedgerFits(aggregate.Ledger!));

        // Another writer created the aggregate between this writer's read (none) and its commit: nothing is written.
        var other = new StoredAggregate(id, "Many Rows", "{}", "other", 0, null, default) { Ledger = [] };
        Assert.NotNull(await store.TryCommitAsync(id, [], other, null, CancellationToken.None));
        Assert.Null(await store.TryCommitAsync(id, changes, aggregate, null, CancellationToken.None));
        Assert.Empty(await store.ReadPapersAsync(id, CancellationToken.None));
        Assert.Equal(1, await RowCountAsync(id));

        var fresh = id + "-2";
        Assert.NotNull(await store.TryCommitAsync(fresh, [.. changes.Select(c => c with { AuthorId = fresh })], aggregate with { AuthorId = fresh }, null, CancellationToken.None));
        Assert.Equal(300, (await store.ReadPapersAsync(fresh, CancellationToken.None)).Count);
        Assert.Null((await store.GetAggregateAsync(fresh, CancellationToken.None))!.Ledger);
        Assert.Equal(301, await RowCountAsync(fresh));
    }

    [Fact]
    public async Task PapersThatFitTheLedger_AreTheAggregateRowAlone_AndPageFromIt()
    {
        // A paper costs each author one entity write: the aggregate row, whose ledger holds every paper.
        var author = TestPapers.Unique("Ledger Author");
        var lines = Enumerable.Range(0, 5).Select(i => TestPapers.Paper($"Ledger work {i} {author}", [author], $"2021-0{i + 1}-01")).ToArray();
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("ledger") + ".jsonl", TestPapers.Lines(lines)));
        var id = AuthorKey.FromName(author);

        Assert.Equal(1, await RowCountAsync(id));
        var first = await Profiles.GetPapersAsync(id, null, 2, CancellationToken.None);
        Assert.Equal(["2021-05-01", "2021-04-01"], first.Value!.Items.Select(p => p.Published));
        var cursor = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + first.Value.Next).Query)["cursor"];
        var second = await Profiles.GetPapersAsync(id, cursor, 10, CancellationToken.None);
        Assert.Equal(["2021-03-01", "2021-02-01", "2021-01-01"], second.Value!.Items.Select(p => p.Published));
        Assert.Null(second.Value.Next);
    }

    [Fact]
    public async Task TheProfileAndTheLedger_AreOneCompressedCard_AndARowWithThemApart_StillReads_AndBecomesACard()
    {
        var author = TestPapers.Unique("Card Author");
        var id = AuthorKey.FromName(author);
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("card") + ".json", TestPapers.Paper("Card one " + author, [author], "2020-01-01")));
        var rows = fixture.Services.GetRequiredService<ScholarFxStorage>().Authors;
        var card = (await rows.GetEntityAsync<TableEntity>(AuthorKeys.Partition(id), AuthorStore.AggregateRowKey(id))).Value;
        Assert.True(card.GetInt32("CardChunks") > 0);
        Assert.False(card.ContainsKey("Profile0"));
        Assert.False(card.ContainsKey("Ledger0"));
        var profile = (await Profiles.GetProfileAsync(id, CancellationToken.None))!.Json;

        // As rows were written before cards: the profile and the ledger in properties of their own.
        var text = TableChunks.Read(card, "Card", card.GetInt32("CardChunks")!.Value);
        var apart = new TableEntity(card.PartitionKey, card.RowKey);
        foreach (var (key, value) in card.Where(p => !p.Key.StartsWith("Card", StringComparison.Ordinal) && p.Key is not "odata.etag" and not "Timestamp"))
        {
            apart[key] = value;
        }

        TableChunks.WriteCompressed(apart, "Profile", text[..text.IndexOf('\n', StringComparison.Ordinal)], 15);
        apart["LedgerChunks"] = TableChunks.WriteCompressed(apart, "Ledger", text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..], 20);
        await rows.UpsertEntityAsync(apart, TableUpdateMode.Replace);

        Assert.Equal(profile, (await Profiles.GetProfileAsync(id, CancellationToken.None))!.Json);
        Assert.Single((await fixture.Services.GetRequiredService<IAuthorStore>().ReadPapersAsync(id, CancellationToken.None)));
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("card") + ".json", TestPapers.Paper("Card two " + author, [author], "2021-01-01")));

        var after = (await rows.GetEntityAsync<TableEntity>(AuthorKeys.Partition(id), AuthorStore.AggregateRowKey(id))).Value;
        Assert.True(after.GetInt32("CardChunks") > 0);
        Assert.False(after.ContainsKey("Profile0"));
        Assert.Equal(2, JsonDocument.Parse((await Profiles.GetProfileAsync(id, CancellationToken.None))!.Json).RootElement.GetProperty("paperCount").GetInt32());
        Assert.Equal(2, (await fixture.Services.GetRequiredService<IAuthorStore>().ReadPapersAsync(id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ALedgerThatNoLongerFits_BecomesRows_AndRowsLeftFromBeforeTheLedgerGo()
    {
        var store = fixture.Services.GetRequiredService<IAuthorStore>();
        var id = AuthorKey.FromName(TestPapers.Unique("Growing Author"));
        var small = Enumerable.Range(0, 3).Select(i => Row(id, i, wide: true)).ToList();
        var etag = await store.TryCommitAsync(id, [.. small.Select(p => new AuthorRowChange(id, p, null))], new StoredAggregate(id, "Growing", "{}", "t", 3, null, default) { Ledger = small }, null, CancellationToken.None);
        Assert.Equal(1, await RowCountAsync(id));

        // A row left in the partition from before the author's papers moved to the ledger, of a paper since removed.
        var stale = Row(id, 999);
        var rows = fixture.Services.GetRequiredService<ScholarFxStorage>().Authors;
        await rows.AddEntityAsync(new TableEntity(AuthorKeys.Partition(id), AuthorKeys.PaperPrefix(id) + stale.RowKey) { ["PaperId"] = stale.Id, ["Published"] = "2022-09-26", ["Title"] = stale.Title });

        var large = Enumerable.Range(0, 300).Select(i => Row(id, i, wide: true)).ToList();
        var expected = await store.GetAggregateAsync(id, CancellationToken.None);
        Assert.NotNull(expected!.Ledger);
        Assert.NotNull(await store.TryCommitAsync(id, [.. large.Skip(3).Select(p => new AuthorRowChange(id, p, null))], new StoredAggregate(id, "Growing", "{}", "t2", 300, null, default) { Ledger = large }, expected, CancellationToken.None));

        Assert.Null((await store.GetAggregateAsync(id, CancellationToken.None))!.Ledger);
        Assert.Equal(301, await RowCountAsync(id));
        Assert.Equal(large.Select(p => p.Id).Order(), (await store.ReadPapersAsync(id, CancellationToken.None)).Select(p => p.Id).Order());
        Assert.NotNull(etag);
    }

    /// <summary>The author's rows in its bucket: the aggregate and its paper rows.</summary>
    private async Task<int> RowCountAsync(string authorId)
    {
        var keys = await RowsAsync(fixture.Services.GetRequiredService<ScholarFxStorage>().Authors, AuthorKeys.Partition(authorId));
        return keys.Count(k => k == AuthorStore.AggregateRowKey(authorId) || k.StartsWith(AuthorKeys.PaperPrefix(authorId), StringComparison.Ordinal));
    }

    private static AuthorPaper Row(string author, int i, bool wide = false) => new()
    {
        Id = $"row-{i}",
        Title = wide ? $"Row {i} " + new string('x', 990) : $"Row {i}",
        Authors = wide ? [.. Enumerable.Range(0, 20).Select(a => $"{author} co-author {a} " + new string('y', 80))] : [author],
        AuthorCount = wide ? 20 : 1,
        Published = new DateOnly(2020, 1, 1).AddDays(i),
        AuthorName = author,
    };

    [Fact]
    public async Task UnchangedRebuild_KeepsTheProfileETag()
    {
        var author = TestPapers.Unique("Stable Author");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("stable") + ".json", TestPapers.Paper("Stable", [author], "2020-01-01")));
        var id = AuthorKey.FromName(author);
        var before = await Profiles.GetProfileAsync(id, CancellationToken.None);

        var changed = await fixture.Services.GetRequiredService<ProfileBuilder>().RebuildAsync(id, CancellationToken.None);

        Assert.False(changed);
        Assert.Equal(before!.ETag, (await Profiles.GetProfileAsync(id, CancellationToken.None))!.ETag);
    }
}

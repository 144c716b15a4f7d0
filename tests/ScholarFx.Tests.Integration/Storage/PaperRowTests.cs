using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Storage;

/// <summary>
/// A paper's row: the abstract, the sources' records and the scores' explanations compressed together into its body,
/// the embedding in half precision; rows written before either still read as they did.
/// </summary>
public sealed class PaperRowTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IPaperStore Papers => fixture.Services.GetRequiredService<IPaperStore>();

    [Fact]
    public async Task APaper_IsStoredWithACompressedBody_AndAHalfPrecisionEmbedding_AndReadsBackWhole()
    {
        var (id, row) = await IngestAsync();

        Assert.True(row.GetInt32("BodyChunks") > 0);
        Assert.IsType<byte[]>(row["Body0"]);
        foreach (var column in new[] { "Abstract", "Claims", "Embedding", "NoveltyDetails", "AiDetails", "PioneerDetails" })
        {
            Assert.False(row.ContainsKey(column), column);
        }

        var paper = (await Papers.GetPaperAsync(id, CancellationToken.None))!;
        Assert.StartsWith("A body of text", paper.Abstract, StringComparison.Ordinal);
        Assert.Equal(paper.Abstract, Assert.Single(paper.Claims).Abstract);
        Assert.NotNull(paper.Scores.Novelty.Details);
        Assert.NotNull(paper.Scores.AiScore.Details);
        var embedding = paper.Embedding!;
        Assert.Equal(embedding.Vector.Length * 2, row.GetBinary("EmbeddingHalf")!.Length);
        Assert.Equal(embedding.Vector, PaperEmbedding.HalfPrecision(embedding.Vector));
        // The body holds the abstract once more in the source's record, yet takes fewer bytes than the abstract alone.
        Assert.InRange(row.GetBinary("Body0")!.Length, 1, System.Text.Encoding.UTF8.GetByteCount(paper.Abstract));
    }

    [Fact]
    public async Task ARowWrittenBeforeBodies_WithItsOwnColumns_AndASinglePrecisionEmbedding_ReadsTheSame()
    {
        var (id, row) = await IngestAsync();
        var current = (await Papers.GetPaperAsync(id, CancellationToken.None))!;
        var body = JsonDocument.Parse(TableChunks.Read(row, "Body", row.GetInt32("BodyChunks")!.Value)).RootElement;
        var old = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (key, value) in row.Where(p => !p.Key.StartsWith("Body", StringComparison.Ordinal) && p.Key != "EmbeddingHalf" && p.Key != "odata.etag" && p.Key != "Timestamp"))
        {
            old[key] = value;
        }

        old["Abstract"] = body.GetProperty("abstract").GetString();
        old["Claims"] = body.GetProperty("claims").GetRawText();
        old["NoveltyDetails"] = body.GetProperty("noveltyDetails").GetRawText();
        old["AiDetails"] = body.GetProperty("aiDetails").GetRawText();
        var single = new byte[current.Embedding!.Vector.Length * 4];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(current.Embedding.Vector.AsSpan()).CopyTo(single);
        old["Embedding"] = single;
        await fixture.Storage.Papers.UpsertEntityAsync(old, TableUpdateMode.Replace);

        var read = (await Papers.GetPaperAsync(id, CancellationToken.None))!;

        Assert.Equal(current.Abstract, read.Abstract);
        Assert.Equal(current.Claims.Single().Abstract, read.Claims.Single().Abstract);
        Assert.Equal(current.Claims.Single().Authors.Select(a => a.Name), read.Claims.Single().Authors.Select(a => a.Name));
        Assert.Equal(current.Scores.Novelty.Details!.Value.GetRawText(), read.Scores.Novelty.Details!.Value.GetRawText());
        Assert.Equal(current.Scores.AiScore.Details!.Value.GetRawText(), read.Scores.AiScore.Details!.Value.GetRawText());
        Assert.Equal(current.Embedding.Vector, read.Embedding!.Vector);
    }

    [Fact]
    public async Task ManyPapers_AreReadAPartitionAtATime_AndWrittenAPartitionsInOneTransaction_WhereOneThatLostARaceFailsAlone()
    {
        var counter = new RequestCounter();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var store = host.Services.GetRequiredService<IPaperStore>();
        var stem = TestPapers.Unique("many");
        // Twelve papers in one partition of the Papers table, and three that each have a partition to themselves here.
        var byPartition = Enumerable.Range(0, 4_000).Select(i => $"sfx:{stem}-{i}").GroupBy(TableKey.HashPartition).ToList();
        var crowded = byPartition.First(g => g.Count() >= 12).Take(12).ToList();
        var alone = byPartition.Where(g => g.Key != TableKey.HashPartition(crowded[0])).Take(3).Select(g => g.First()).ToList();
        string[] ids = [.. crowded, .. alone];
        foreach (var id in ids)
        {
            Assert.True(await store.TryAddAsync(Paper(id, 0.1), CancellationToken.None));
        }

        // Read afresh (a host that kept nothing): the crowded partition is one query, each lone paper a point read.
        using var reader = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall))));
        var fresh = reader.Services.GetRequiredService<IPaperStore>();
        var before = counter.Requests(StorageNames.PapersTable, "GET");
        // And one never stored, in a partition of its own here: one more point read, answered "not found".
        var missing = Enumerable.Range(0, 100).Select(i => $"sfx:{stem}-missing-{i}").First(id => byPartition.All(g => g.Key != TableKey.HashPartition(id) || !g.Any(ids.Contains)));
        var read = await fresh.GetManyAsync([.. ids, missing], corpusSize: ids.Length, CancellationToken.None);
        Assert.Equal(ids.Order(StringComparer.Ordinal), read.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(1 + alone.Count + 1, counter.Requests(StorageNames.PapersTable, "GET") - before);
        foreach (var paper in read)
        {
            Assert.Equal((await fresh.GetPaperAsync(paper.Id, CancellationToken.None))!.StoreVersion, paper.StoreVersion);
            Assert.Equal("A paper read together " + paper.Id, paper.Abstract);
        }

        // Another writer changed one crowded paper since: its write fails, every other one is written.
        var stale = read.Single(p => p.Id == crowded[5]);
        Assert.True(await store.TryReplaceAsync((await store.GetPaperAsync(stale.Id, CancellationToken.None))! with { Scores = Scores(0.5) }, CancellationToken.None));
        var writes = counter.Requests(StorageNames.PapersTable);
        var ordered = read.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var written = await fresh.TryReplaceManyAsync([.. ordered.Select(p => p with { Scores = Scores(0.9) })], CancellationToken.None);

        Assert.Equal(ordered.Select(p => p.Id != stale.Id), written);
        // The crowded partition's transaction failed, naming the stale paper; the other eleven went again together.
        Assert.Equal(2 + alone.Count, counter.Requests(StorageNames.PapersTable) - writes);
        foreach (var id in ids)
        {
            var stored = (await store.GetPaperAsync(id, CancellationToken.None))!;
            Assert.Equal(id == stale.Id ? 0.5 : 0.9, stored.Scores.Novelty.Value);
            // The version written is kept: a write on it needs no read, and succeeds.
            if (id != stale.Id)
            {
                Assert.Equal(stored.StoreVersion, fresh.Recent(id)!.StoreVersion);
            }
        }

        Assert.Null(fresh.Recent(stale.Id));
    }

    private static PaperScores Scores(double novelty) =>
        new(new Score(novelty, null, "test-model", "v-test"), Score.NotScored) { Pioneer = Score.NotScored };

    private static Paper Paper(string id, double novelty) => new()
    {
        Id = id,
        Title = "Read together " + id,
        Abstract = "A paper read together " + id,
        Authors = [new PaperAuthor("Together Author")],
        Categories = ["cs.LG"],
        Published = new DateOnly(2022, 5, 6),
        Aliases = [id],
        Sources = ["test"],
        ContentHash = "h-" + id,
        Scores = Scores(novelty),
    };

    private async Task<(string Id, TableEntity Row)> IngestAsync()
    {
        var title = TestPapers.Unique("Compact row");
        var text = "A body of text long enough to compress: " + string.Join(' ', Enumerable.Range(0, 60).Select(i => $"measurement {i} of the graph method"));
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("row") + ".json", TestPapers.Paper(title, [TestPapers.Unique("Row Author")], "2021-03-04", @abstract: text)));
        await foreach (var row in fixture.Storage.Papers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Title eq {title}")))
        {
            return (row.GetString("Id"), row);
        }

        throw new InvalidOperationException("The paper was not stored.");
    }
}

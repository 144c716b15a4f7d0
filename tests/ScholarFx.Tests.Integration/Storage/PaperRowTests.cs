using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
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

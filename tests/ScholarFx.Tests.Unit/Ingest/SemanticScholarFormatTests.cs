using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class SemanticScholarFormatTests
{
    private readonly SemanticScholarFormat format = new();

    [Fact]
    public async Task ReadAsync_ReadsEveryPaperOfTheSampleDataPage()
    {
        var records = await ReadRecordsAsync(format, Sample("semantic-scholar-papers.json"));

        Assert.Equal(4, records.Count);
        var first = records[0];
        Assert.Equal("semantic-scholar", first.Source);
        Assert.Equal("record 1", first.Location);
        Assert.Equal("5f2c9e0d41b7a3e8c6d2f1a09b8e7c6d5a4b3c21", first.SemanticScholarId);
        Assert.Equal(("2409.01234", "10.5555/sfx.2024.0917"), (first.ArxivId, first.Doi));
        Assert.Equal("Contrastive Pretraining of Sparse Mixture-of-Experts Routers", first.Title);
        Assert.Equal(["Ingrid Halvorsen", "Tomás Ferreira", "Wen-Jie Zhou"], first.Authors.Select(a => a.Name));
        Assert.Equal(17, first.Citations);
        Assert.Equal(new DateOnly(2024, 9, 2), first.Published);
        Assert.Equal(["Computer Science"], first.Categories);
        Assert.Equal(["arxiv:2409.01234", "doi:10.5555/sfx.2024.0917", "s2:5f2c9e0d41b7a3e8c6d2f1a09b8e7c6d5a4b3c21"], first.Aliases().Take(3));
        Assert.Equal(["Computer Science", "Medicine"], records[1].Categories);
        // Without fieldsOfStudy, the s2FieldsOfStudy categories.
        Assert.Equal(["Chemistry", "Computer Science"], records[2].Categories);
        Assert.Equal([9, 6, 3], records.Skip(1).Select(r => r.Citations ?? -1));
    }

    [Fact]
    public async Task ReadAsync_ReadsABatchList_ReportingIdsTheApiDidNotFind()
    {
        var list = $"[{Paper("a1", "One")}, null, {Paper("a3", "Three")}]";

        var items = await ReadAllAsync(format, Utf8(list));

        AssertOneBadAmongGood(items, ["One", null, "Three"], "record 2", "no paper");
    }

    [Fact]
    public async Task ReadAsync_ReadsASinglePrettyPrintedPaper()
    {
        var paper = Paper("a1", "One").Replace(",", ",\n  ", StringComparison.Ordinal);

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(paper)));

        Assert.Equal("s2:a1", record.Aliases().First(a => a.StartsWith("s2:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadAsync_ReadsOneDataPagePerLine()
    {
        var lines = $"{{\"total\":2,\"data\":[{Paper("a1", "One")}]}}\n{{\"total\":2,\"data\":[{Paper("a2", "Two")}]}}\n";

        var items = await ReadAllAsync(format, Utf8(lines));

        Assert.Equal(["line 1, record 1", "line 2, record 1"], items.Select(i => i.Record?.Location));
    }

    [Fact]
    public async Task ReadAsync_ReportsBadPaper_AndKeepsTheOthers()
    {
        var page = "{\n  \"data\": [\n" + Paper("a1", "One") + ",\n" + Paper("a2", "Two").Replace("\"citationCount\":4", "\"citationCount\":-4", StringComparison.Ordinal) + ",\n" + Paper("a3", "Three") + "\n]\n}";

        var items = await ReadAllAsync(format, Utf8(page));

        AssertOneBadAmongGood(items, ["One", null, "Three"], "record 2", "citationCount");
    }

    [Fact]
    public async Task YearOnlyPaper_KeepsItsYear_ForTheMergeToDecide()
    {
        var paper = Paper("a1", "One").Replace("\"publicationDate\":\"2021-03-04\"", "\"publicationDate\":null", StringComparison.Ordinal);
        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(paper)));

        var problem = new RecordValidator(new FixedClock()).Problem(record);

        Assert.Null(record.Published);
        Assert.Equal("2021", record.PublishedPartly);
        Assert.Null(problem);
    }

    private static string Paper(string id, string title) =>
        $$"""{"paperId":"{{id}}","externalIds":{"DOI":"10.1/{{id}}"},"title":"{{title}}","abstract":"About {{title}}.","authors":[{"authorId":"1","name":"Boyu Shi"}],"citationCount":4,"year":2021,"publicationDate":"2021-03-04"}""";
}

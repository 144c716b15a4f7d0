using System.Text;
using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class ScholarFxJsonFormatTests
{
    private readonly ScholarFxJsonFormat format = new();

    [Fact]
    public async Task ReadAsync_ReadsSinglePrettyPrintedObject()
    {
        const string json = """
            {
              "id": "doi:10.1000/XYZ",
              "title": "Deep Nets",
              "abstract": "We study deep nets.",
              "authors": ["Shi, Boyu", "Chang Liu"],
              "categories": ["cs.LG", "stat.ML"],
              "published": "2024-03-01",
              "citations": 13,
              "doi": "10.1000/xyz",
              "arxivId": "2303.11698v2"
            }
            """;

        var items = await ReadAllAsync(format, Utf8(json));

        var record = Assert.Single(items).Record;
        Assert.NotNull(record);
        Assert.Equal("record 1", record.Location);
        Assert.Equal("scholarfx-json", record.Source);
        Assert.Equal("doi:10.1000/XYZ", record.GivenId);
        Assert.Equal("Deep Nets", record.Title);
        Assert.Equal("We study deep nets.", record.Abstract);
        Assert.Equal(["Boyu Shi", "Chang Liu"], record.Authors.Select(a => a.Name));
        Assert.Equal(["cs.LG", "stat.ML"], record.Categories);
        Assert.Equal(new DateOnly(2024, 3, 1), record.Published);
        Assert.Equal(13, record.Citations);
        Assert.Equal("10.1000/xyz", record.Doi);
        Assert.Equal("2303.11698v2", record.ArxivId);
    }

    [Fact]
    public async Task ReadAsync_ReadsAffiliations_OrcidLinks_AndPerYearCitations()
    {
        const string paper = """
            {"id":"sfx:1","title":"T","abstract":"A.","published":"2024-01-02","citations":3,
             "citationsByYear":[{"year":2025,"citations":3}],
             "authors":[{"name":"Ada Lovelace","orcid":"https://orcid.org/0000-0002-1825-0097","affiliations":["Analytical Society","Royal Institution"]},
                        {"name":"Bo Shi","affiliation":"Lab B"}, "Cy Young"]}
            """;

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(paper)));

        Assert.Equal("0000-0002-1825-0097", record.Authors[0].Orcid);
        Assert.Equal(["Analytical Society", "Royal Institution"], record.Authors[0].Institutions);
        Assert.Equal(["Lab B"], record.Authors[1].Institutions);
        Assert.Empty(record.Authors[2].Institutions);
        Assert.Equal([new ScholarFx.Core.Papers.YearCount(2025, 3)], record.CitationsByYear);
    }

    [Fact]
    public async Task ReadAsync_ReadsEveryObjectOfArray()
    {
        var json = $"[\n  {Paper("A")},\n  {Paper("B")},\n  {Paper("C")}\n]";

        var items = await ReadAllAsync(format, Utf8(json));

        Assert.Equal(["A", "B", "C"], items.Select(i => i.Record?.Title));
        Assert.Equal(["record 1", "record 2", "record 3"], items.Select(i => i.Record?.Location));
    }

    [Fact]
    public async Task ReadAsync_ReadsEmptyArrayAsNoRecords()
    {
        var items = await ReadAllAsync(format, Utf8("[]"));

        Assert.Empty(items);
    }

    [Fact]
    public async Task ReadAsync_ReadsJsonLines()
    {
        var jsonl = $"{Paper("A")}\n{Paper("B")}\n{Paper("C")}\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(["A", "B", "C"], items.Select(i => i.Record?.Title));
        Assert.Equal(["line 1", "line 2", "line 3"], items.Select(i => i.Record?.Location));
    }

    [Fact]
    public async Task ReadAsync_ReadsSingleLineObjectWithoutNewline()
    {
        var items = await ReadAllAsync(format, Utf8(Paper("A")));

        var record = Assert.Single(items).Record;
        Assert.Equal("A", record?.Title);
    }

    [Fact]
    public async Task ReadAsync_ReportsBrokenLineWithItsNumber_AndKeepsGoodLines()
    {
        var jsonl = $"{Paper("A")}\n{{\"title\": \"broken\", \n{Paper("C")}\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(3, items.Count);
        Assert.Equal("A", items[0].Record?.Title);
        Assert.Null(items[1].Record);
        Assert.Equal("line 2", items[1].Error?.Location);
        Assert.StartsWith("invalid JSON", items[1].Error?.Message, StringComparison.Ordinal);
        Assert.Equal("C", items[2].Record?.Title);
        Assert.Equal("line 3", items[2].Record?.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsBrokenFirstLine_AndKeepsTheGoodLinesAfterIt()
    {
        var jsonl = $"{{\"title\": \"broken\", \n{Paper("B")}\n{Paper("C")}\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(3, items.Count);
        Assert.Equal("line 1", items[0].Error?.Location);
        Assert.Equal(["B", "C"], items.Skip(1).Select(i => i.Record?.Title));
    }

    [Fact]
    public async Task ReadAsync_SkipsBlankLines_AndKeepsPhysicalLineNumbers()
    {
        var jsonl = $"{Paper("A")}\n\n   \n{Paper("B")}\n\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(["line 1", "line 4"], items.Select(i => i.Record?.Location));
    }

    [Fact]
    public async Task ReadAsync_ReadsCrLfJsonLines()
    {
        var jsonl = $"{Paper("A")}\r\n{Paper("B")}\r\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(["A", "B"], items.Select(i => i.Record?.Title));
        Assert.All(items, i => Assert.Null(i.Error));
    }

    [Fact]
    public async Task ReadAsync_ReadsJsonLinesWithByteOrderMark()
    {
        var jsonl = $"{Paper("A")}\n{Paper("B")}\n";

        var items = await ReadAllAsync(format, Utf8(jsonl, bom: true));

        Assert.Equal(["A", "B"], items.Select(i => i.Record?.Title));
        Assert.All(items, i => Assert.Null(i.Error));
    }

    [Fact]
    public async Task ReadAsync_ReadsArrayWithByteOrderMark()
    {
        var json = $"[{Paper("A")}, {Paper("B")}]";

        var items = await ReadAllAsync(format, Utf8(json, bom: true));

        Assert.Equal(["A", "B"], items.Select(i => i.Record?.Title));
    }

    [Fact]
    public async Task ReadAsync_ReadsPrettyObjectWithByteOrderMarkAndCrLf()
    {
        var json = "{\r\n  \"title\": \"Deep Nets\",\r\n  \"abstract\": \"x\"\r\n}\r\n";

        var items = await ReadAllAsync(format, Utf8(json, bom: true));

        Assert.Equal("Deep Nets", Assert.Single(items).Record?.Title);
    }

    [Fact]
    public async Task ReadAsync_KeepsRecordsBeforeSyntaxErrorInArray()
    {
        var json = $"[{Paper("A")}, {Paper("B")}, {{\"title\": oops}}, {Paper("D")}]";

        var items = await ReadAllAsync(format, Utf8(json));

        Assert.Equal(3, items.Count);
        Assert.Equal("A", items[0].Record?.Title);
        Assert.Equal("B", items[1].Record?.Title);
        Assert.Equal("record 3", items[2].Error?.Location);
        Assert.Contains("the rest of the array was not read", items[2].Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_KeepsEveryRecordBeforeSyntaxError_InLargeArray()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 500).Select(i => Paper("P" + i))) + ", {\"title\": oops}]";

        var items = await ReadAllAsync(format, Utf8(json));

        Assert.Equal(500, items.Count(i => i.Record is not null));
        Assert.Equal("record 501", items[^1].Error?.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsTruncatedArray_AfterItsRecords()
    {
        var json = $"[{Paper("A")}, {Paper("B")}";

        var items = await ReadAllAsync(format, Utf8(json));

        Assert.Equal(["A", "B"], items.Take(2).Select(i => i.Record?.Title));
        Assert.Equal("record 3", Assert.Single(items.Skip(2)).Error?.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsNonObjectArrayElement_AndKeepsTheOthers()
    {
        var json = $"[{Paper("A")}, 42, {Paper("C")}]";

        var items = await ReadAllAsync(format, Utf8(json));

        Assert.Equal(3, items.Count);
        Assert.Equal("record 2", items[1].Error?.Location);
        Assert.Contains("expected a JSON object", items[1].Error?.Message, StringComparison.Ordinal);
        Assert.Equal("C", items[2].Record?.Title);
    }

    [Fact]
    public async Task ReadAsync_ReportsInvalidPrettyDocument()
    {
        var items = await ReadAllAsync(format, Utf8("{\n  \"title\": \"x\",\n"));

        var error = Assert.Single(items).Error;
        Assert.Equal("record 1", error?.Location);
        Assert.StartsWith("invalid JSON", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReadsAuthorsAsStringsOrObjects()
    {
        var line = """{"title":"T","authors":["Shi, Boyu",{"name":"Chang Liu","orcid":" 0000-0002-1825-0097 "},{"name":"Li Na"}]}""";

        var items = await ReadAllAsync(format, Utf8(line));

        var authors = Assert.Single(items).Record?.Authors;
        Assert.NotNull(authors);
        Assert.Equal(["Boyu Shi", "Chang Liu", "Li Na"], authors.Select(a => a.Name));
        Assert.Equal([null, "0000-0002-1825-0097", null], authors.Select(a => a.Orcid));
        Assert.Equal(["boyu-shi", "chang-liu", "li-na"], authors.Select(a => a.Id));
    }

    [Fact]
    public async Task ReadAsync_ReadsCategoriesGivenAsOneString()
    {
        var line = """{"title":"T","categories":"cs.LG stat.ML, cs.LG"}""";

        var items = await ReadAllAsync(format, Utf8(line));

        Assert.Equal(["cs.LG", "stat.ML"], Assert.Single(items).Record?.Categories);
    }

    [Fact]
    public async Task ReadAsync_ReadsTimestampAsItsDate()
    {
        var line = """{"title":"T","published":"2024-03-01T18:00:00Z"}""";

        var items = await ReadAllAsync(format, Utf8(line));

        Assert.Equal(new DateOnly(2024, 3, 1), Assert.Single(items).Record?.Published);
    }

    [Fact]
    public async Task ReadAsync_LeavesMissingOptionalFieldsNull()
    {
        var items = await ReadAllAsync(format, Utf8("""{"title":"T"}"""));

        var record = Assert.Single(items).Record;
        Assert.NotNull(record);
        Assert.Null(record.Abstract);
        Assert.Null(record.Published);
        Assert.Null(record.Citations);
        Assert.Empty(record.Authors);
        Assert.Empty(record.Categories);
    }

    [Theory]
    [InlineData("""{"title":true}""", "\"title\"")]
    [InlineData("""{"title":"T","abstract":["a"]}""", "\"abstract\"")]
    [InlineData("""{"title":"T","authors":"Boyu Shi"}""", "\"authors\"")]
    [InlineData("""{"title":"T","authors":[42]}""", "author")]
    [InlineData("""{"title":"T","authors":[{"orcid":"0000"}]}""", "\"name\"")]
    [InlineData("""{"title":"T","authors":[""]}""", "author")]
    [InlineData("""{"title":"T","categories":5}""", "\"categories\"")]
    [InlineData("""{"title":"T","categories":["cs.LG",7]}""", "\"categories\"")]
    [InlineData("""{"title":"T","published":"yesterday"}""", "\"published\"")]
    [InlineData("""{"title":"T","citations":"many"}""", "\"citations\"")]
    [InlineData("""{"title":"T","citations":-3}""", "\"citations\"")]
    [InlineData("""{"title":"T","citations":2.5}""", "\"citations\"")]
    [InlineData("""{"title":"T","doi":{"value":"10.1/x"}}""", "\"doi\"")]
    public async Task ReadAsync_ReportsBadFieldType_NamingTheField(string line, string field)
    {
        var items = await ReadAllAsync(format, Utf8(line));

        var item = Assert.Single(items);
        Assert.Null(item.Record);
        Assert.Equal("line 1", item.Error?.Location);
        Assert.Contains(field, item.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReportsBadRecordOfJsonLines_AndKeepsTheNext()
    {
        var jsonl = $"{Paper("A")}\n{{\"title\":\"T\",\"citations\":\"many\"}}\n{Paper("C")}\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(["A", null, "C"], items.Select(i => i.Record?.Title));
        Assert.Equal("line 2", items[1].Error?.Location);
    }

    [Fact]
    public async Task ReadAsync_ReportsOverlongLine_AndKeepsTheNext()
    {
        var overlong = "{\"title\":\"" + new string('x', ScholarFxJsonFormat.MaxLineChars) + "\"}";
        var jsonl = $"{Paper("A")}\n{overlong}\n{Paper("C")}\n";

        var items = await ReadAllAsync(format, Utf8(jsonl));

        Assert.Equal(3, items.Count);
        Assert.Equal("line 2", items[1].Error?.Location);
        Assert.Contains("longer than", items[1].Error?.Message, StringComparison.Ordinal);
        Assert.Equal("C", items[2].Record?.Title);
        Assert.Equal("line 3", items[2].Record?.Location);
    }

    [Fact]
    public async Task ReadAsync_StreamsManyLines()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            builder.Append(Paper("P" + i)).Append('\n');
        }

        var items = await ReadAllAsync(format, Utf8(builder.ToString()));

        Assert.Equal(2000, items.Count(i => i.Record is not null));
        Assert.Equal("line 2000", items[^1].Record?.Location);
    }

    [Theory]
    [InlineData("{\"title\":\"x\"}")]
    [InlineData("  \n[ ]")]
    [InlineData("\uFEFF{ }")]
    public void Recognises_JsonObjectOrArray(string text)
    {
        var recognised = format.Recognises(Encoding.UTF8.GetBytes(text), "papers.json");

        Assert.True(recognised);
    }

    [Theory]
    [InlineData("@article{x, title={T}}")]
    [InlineData("<feed></feed>")]
    [InlineData("")]
    public void Recognises_IsFalse_ForOtherText(string text)
    {
        var recognised = format.Recognises(Encoding.UTF8.GetBytes(text), "papers.json");

        Assert.False(recognised);
    }
}

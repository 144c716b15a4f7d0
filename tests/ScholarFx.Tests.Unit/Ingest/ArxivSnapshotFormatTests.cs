using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class ArxivSnapshotFormatTests
{
    private readonly ArxivSnapshotFormat format = new();

    [Fact]
    public async Task ReadAsync_ReadsEveryLineOfTheSample()
    {
        var records = await ReadRecordsAsync(format, Sample("arxiv-snapshot.jsonl"));

        Assert.Equal(["2104.11223", "math-ph/0211004", "2303.01987"], records.Select(r => r.ArxivId));
        Assert.Equal(["line 1", "line 2", "line 3"], records.Select(r => r.Location));
        var first = records[0];
        Assert.Equal("arxiv-snapshot", first.Source);
        Assert.Equal("Variational Inference for Sparse Gaussian Processes on Manifolds", first.Title);
        Assert.StartsWith("We derive a sparse variational approximation", first.Abstract, StringComparison.Ordinal);
        Assert.Equal(["Oskar Lindqvist", "Ingrid Halvorsen"], first.Authors.Select(a => a.Name));
        Assert.Equal(["stat.ML", "cs.LG"], first.Categories);
        // v1's date, not v2's and not update_date.
        Assert.Equal(new DateOnly(2021, 4, 20), first.Published);
        Assert.Equal("Spectral Gaps of Random Schrödinger Operators on Quantum Graphs", records[1].Title);
        Assert.Equal(["Chidi Okonkwo Jr.", "Giulia Rossi"], records[1].Authors.Select(a => a.Name));
        Assert.Equal("10.5555/sfx.2003.0118", records[1].Doi);
        Assert.Equal(new DateOnly(2002, 11, 4), records[1].Published);
        Assert.Equal("arxiv:math-ph/0211004", records[1].Aliases()[0]);
    }

    [Theory]
    [InlineData("Mon, 2 Apr 2007 19:18:42 GMT", 2007, 4, 2)]
    [InlineData("Tue, 10 Apr 2007 23:59:59 GMT", 2007, 4, 10)]
    public async Task ReadAsync_ReadsRfc1123CreatedDates(string created, int year, int month, int day)
    {
        var line = Line("0704.0001", $$"""[{"version":"v1","created":"{{created}}"}]""");

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(line)));

        Assert.Equal(new DateOnly(year, month, day), record.Published);
    }

    [Fact]
    public async Task ReadAsync_ReportsBadLine_AndKeepsTheOthers()
    {
        var lines = string.Join('\n',
            Line("0704.0001", """[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}]"""),
            Line("0704.0002", """[{"version":"v1","created":"sometime in April"}]"""),
            "{\"id\": \"0704.0003\", \"title\": ",
            Line("0704.0004", """[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}]"""));

        var items = await ReadAllAsync(format, Utf8(lines));

        Assert.Equal(["0704.0001", null, null, "0704.0004"], items.Select(i => i.Record?.ArxivId));
        Assert.Equal(("line 2", true), (items[1].Error?.Location, items[1].Error!.Message.Contains("RFC 1123", StringComparison.Ordinal)));
        Assert.Equal("line 3", items[2].Error?.Location);
    }

    [Fact]
    public async Task ReadAsync_FallsBackToTheAuthorsText_WithoutAuthorsParsed()
    {
        const string line = """{"id":"0704.0001","title":"T","abstract":"A","authors":"A. Author, B. Author and C. Author","versions":[],"update_date":"2007-04-03"}""";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(line)));

        Assert.Equal(["A. Author", "B. Author", "C. Author"], record.Authors.Select(a => a.Name));
        Assert.Null(record.Published);
    }

    private static string Line(string id, string versions) =>
        $$"""{"id":"{{id}}","title":"T {{id}}","abstract":"About {{id}}.","categories":"hep-ph","versions":{{versions}},"update_date":"2008-11-13","authors_parsed":[["Shi","Boyu",""]]}""";
}

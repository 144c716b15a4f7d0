using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class ArxivAtomFormatTests
{
    private const string FeedStart = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
          <title>ArXiv Query</title>
        """;

    private readonly ArxivAtomFormat format = new();

    [Fact]
    public async Task ReadAsync_ReadsEveryEntryOfTheSampleFeed()
    {
        var records = await ReadRecordsAsync(format, Sample("arxiv-atom-feed.xml"));

        Assert.Equal(["2409.01234", "hep-th/0105123", "2502.04567", "2311.07788"], records.Select(r => r.ArxivId));
        var first = records[0];
        Assert.Equal("arxiv-atom", first.Source);
        Assert.Equal("entry 1 (line 10)", first.Location);
        Assert.Equal("Contrastive Pretraining of Sparse Mixture-of-Experts Routers", first.Title);
        Assert.StartsWith("Sparse mixture-of-experts models route each token", first.Abstract, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", first.Abstract, StringComparison.Ordinal);
        Assert.Equal(["Ingrid Halvorsen", "Tomás Ferreira", "Wen-Jie Zhou"], first.Authors.Select(a => a.Name));
        Assert.Equal(["cs.LG", "cs.CL"], first.Categories);
        Assert.Equal(new DateOnly(2024, 9, 2), first.Published);
        Assert.Null(first.Citations);
        Assert.Equal("arxiv:2409.01234", first.Aliases()[0]);
        Assert.Equal(["hep-th", "cond-mat.stat-mech"], records[1].Categories);
        Assert.Equal(new DateOnly(2001, 5, 14), records[1].Published);
        Assert.Equal("10.5555/sfx.2025.0207", records[2].Doi);
        Assert.Equal(["cs.DC", "cs.LG"], records[2].Categories);
        Assert.Equal(["stat.ML", "cs.LG"], records[3].Categories);
    }

    [Fact]
    public async Task ReadAsync_ReadsEachAuthorsAffiliations()
    {
        var feed = FeedStart + Entry("2101.00001v1").Replace(
            "<author><name>Boyu Shi</name></author>",
            "<author><name>Boyu Shi</name><arxiv:affiliation>Tsinghua University</arxiv:affiliation><arxiv:affiliation>BAAI</arxiv:affiliation></author><author><name>Chang Liu</name></author>",
            StringComparison.Ordinal) + "</feed>";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(feed)));

        Assert.Equal(["Tsinghua University", "BAAI"], record.Authors[0].Institutions);
        Assert.Empty(record.Authors[1].Institutions);
    }

    [Fact]
    public async Task ReadAsync_PutsPrimaryCategoryFirst_EvenWhenListedLater()
    {
        var feed = FeedStart + Entry("2101.00001v2", categories: """
            <category term="cs.CL"/><category term="cs.LG"/><arxiv:primary_category term="cs.LG"/>
            """) + "</feed>";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(feed)));

        Assert.Equal("2101.00001", record.ArxivId);
        Assert.Equal(["cs.LG", "cs.CL"], record.Categories);
    }

    [Fact]
    public async Task ReadAsync_ReportsBadEntry_AndKeepsTheOthers()
    {
        var feed = FeedStart + Entry("2101.00001v1") + Entry("2101.00002v1", published: "last Tuesday") + Entry("2101.00003v1") + "</feed>";

        var items = await ReadAllAsync(format, Utf8(feed));

        AssertOneBadAmongGood(items, ["A Title", null, "A Title"], "entry 2 (line 11)", "<published> is not a date");
    }

    [Fact]
    public async Task ReadAsync_KeepsEntriesBeforeBrokenXml_AndNamesTheEntry()
    {
        var feed = FeedStart + Entry("2101.00001v1") + "<entry><id>http://arxiv.org/abs/2101.00002v1</id><title>Unclosed</entry>" + Entry("2101.00003v1") + "</feed>";

        var items = await ReadAllAsync(format, Utf8(feed));

        Assert.Equal("2101.00001", items[0].Record?.ArxivId);
        var error = Assert.Single(items.Skip(1)).Error;
        Assert.StartsWith("entry 2", error?.Location, StringComparison.Ordinal);
        Assert.Contains("invalid XML", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReportsArxivApiErrorEntry()
    {
        const string feed = FeedStart + """
            <entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>
            <summary>incorrect id format for 1234</summary></entry></feed>
            """;

        var error = Assert.Single(await ReadAllAsync(format, Utf8(feed))).Error;

        Assert.Contains("arXiv API error: incorrect id format for 1234", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CleansLatexInTitles()
    {
        var feed = FeedStart + Entry("2101.00001v1", title: @"Schr\""odinger Bridges -- a {Tutorial}") + "</feed>";

        var record = Assert.Single(await ReadRecordsAsync(format, Utf8(feed)));

        Assert.Equal("Schrödinger Bridges – a Tutorial", record.Title);
    }

    [Fact]
    public async Task ReadAsync_RefusesDtd_AndReadsNothing()
    {
        const string feed = """
            <?xml version="1.0"?>
            <!DOCTYPE feed [ <!ENTITY title "Injected"> ]>
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001</id><title>&title;</title></entry></feed>
            """;

        var error = Assert.Single(await ReadAllAsync(format, Utf8(feed))).Error;

        Assert.Equal("file", error?.Location);
        Assert.Contains("DTD", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RefusesBillionLaughs_WithoutExpandingAnything()
    {
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var feed = $"""
            <?xml version="1.0"?>
            <!DOCTYPE feed [ <!ENTITY lol0 "lol"> {entities} ]>
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol9;</title></entry></feed>
            """;

        var items = await ReadAllAsync(format, Utf8(feed));

        var error = Assert.Single(items).Error;
        Assert.Equal("file", error?.Location);
        Assert.DoesNotContain("lollol", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RefusesExternalEntity_AndReadsNoLocalFile()
    {
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT");
        try
        {
            var feed = $"""
                <?xml version="1.0"?>
                <!DOCTYPE feed [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
                {Entry("2101.00001v1", title: "&xxe;")}</feed>
                """;

            var items = await ReadAllAsync(format, Utf8(feed));

            var error = Assert.Single(items).Error;
            Assert.Equal("file", error?.Location);
            Assert.DoesNotContain("TOP-SECRET", error?.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task ReadAsync_DoesNotExpandUndeclaredEntity_WhenDtdIsHiddenPastTheHead()
    {
        // No DOCTYPE in the head, so the check before reading passes; the XmlReader itself still refuses to resolve.
        var feed = FeedStart + Entry("2101.00001v1") + Entry("2101.00002v1", title: "&xxe;") + "</feed>";

        var items = await ReadAllAsync(format, Utf8(feed));

        Assert.Equal("2101.00001", items[0].Record?.ArxivId);
        Assert.Contains("invalid XML", Assert.Single(items.Skip(1)).Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RefusesDtdBehindALongComment_InTheXmlReaderItself()
    {
        var feed = $"""
            <?xml version="1.0"?>
            <!-- {new string('c', 70 * 1024)} -->
            <!DOCTYPE feed [ <!ENTITY title "Injected"> ]>
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&title;</title></entry></feed>
            """;

        var error = Assert.Single(await ReadAllAsync(format, Utf8(feed))).Error;

        Assert.Contains("DTD is prohibited", error?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StopsAtAnEntryLargerThanTheCap_KeepingEarlierEntries()
    {
        // The cap counts bytes as the XmlReader pulls them, so it holds to within its read-ahead buffer.
        var huge = new string('x', ArxivAtomFormat.MaxEntryBytes + (256 * 1024));
        var feed = FeedStart + Entry("2101.00001v1") + Entry("2101.00002v1", title: huge) + Entry("2101.00003v1") + "</feed>";

        var items = await ReadAllAsync(format, Utf8(feed));

        Assert.Equal("2101.00001", items[0].Record?.ArxivId);
        var error = Assert.Single(items.Skip(1)).Error;
        Assert.StartsWith("entry 2", error?.Location, StringComparison.Ordinal);
        Assert.Contains("larger than 4 MiB", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReportsARootThatIsNotAnAtomFeed()
    {
        var error = Assert.Single(await ReadAllAsync(format, Utf8("<rss><channel/></rss>"))).Error;

        Assert.Equal("file", error?.Location);
        Assert.Contains("Atom <feed>", error?.Message, StringComparison.Ordinal);
    }

    private static string Entry(string id, string title = "A Title", string published = "2021-01-01T18:59:59Z", string categories = """<arxiv:primary_category term="cs.LG"/>""") => $"""
        <entry>
          <id>http://arxiv.org/abs/{id}</id>
          <published>{published}</published>
          <title>{title}</title>
          <summary>An abstract.</summary>
          <author><name>Boyu Shi</name></author>
          {categories}
        </entry>

        """;
}

using ScholarFx.Core.Ingest;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class ArxivOaiFormatTests
{
    private const string Head = """
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
        <responseDate>2026-03-10T06:00:00Z</responseDate>
        <request verb="ListRecords" metadataPrefix="arXiv">http://oaipmh.arxiv.org/oai</request>
        <ListRecords>
        """;

    private const string Tail = """
        <resumptionToken cursor="0" completeListSize="3">7001|1001</resumptionToken>
        </ListRecords>
        </OAI-PMH>
        """;

    private static readonly string ArxivRecord = """
        <record><header><identifier>oai:arXiv.org:0704.0002</identifier><datestamp>2008-12-13</datestamp><setSpec>cs</setSpec></header>
        <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/">
        <id>0704.0002</id><created>2007-03-30</created><updated>2008-12-13</updated>
        <authors><author><keyname>Halvorsen</keyname><forenames>Ingrid</forenames><affiliation>Nordlys Institute</affiliation></author>
        <author><keyname>Ferreira</keyname><forenames>Tomás</forenames></author></authors>
        <title>Certified Sparse Decompositions of Imaginary Graphs</title>
        <categories>math.CO cs.CG</categories><doi>10.5555/sfx.2007.0002 10.1000/other</doi>
        <abstract>  We describe a made-up algorithm, the $(k,\ell)$-token game.</abstract>
        </arXiv></metadata></record>
        """;

    private static readonly string RawRecord = """
        <record><header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-13</datestamp></header>
        <metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
        <id>0704.0001</id><submitter>Camille Dubois</submitter>
        <version version="v2"><date>Tue, 24 Jul 2007 20:10:27 GMT</date></version>
        <version version="v1"><date>Mon, 2 Apr 2007 19:18:42 GMT</date></version>
        <title>Made-up cross sections of imaginary particles</title>
        <authors>J. M\"uller, E. L. Okafor and C. Dubois</authors>
        <categories>hep-ph</categories>
        <abstract>A fully differential calculation in perturbative QCD is presented.</abstract>
        </arXivRaw></metadata></record>
        """;

    private const string DeletedRecord = """
        <record><header status="deleted"><identifier>oai:arXiv.org:0704.0003</identifier><datestamp>2009-01-01</datestamp></header></record>
        """;

    [Fact]
    public async Task ArxivMetadata_GivesIdAuthorsPrimaryCategoryFirstV1DateAndFirstDoi()
    {
        var items = await ReadHelper.ReadAllAsync(new ArxivOaiFormat(), ReadHelper.Utf8(Head + ArxivRecord + Tail));

        var record = Assert.Single(items).Record!;
        Assert.Equal("0704.0002", record.ArxivId);
        Assert.Equal(["Ingrid Halvorsen", "Tomás Ferreira"], record.Authors.Select(a => a.Name));
        Assert.Equal(["Nordlys Institute"], record.Authors[0].Affiliations!);
        Assert.Equal(["math.CO", "cs.CG"], record.Categories);
        Assert.Equal(new DateOnly(2007, 3, 30), record.Published);
        Assert.Equal("10.5555/sfx.2007.0002", record.Doi);
        Assert.Equal("Certified Sparse Decompositions of Imaginary Graphs", record.Title);
    }

    [Fact]
    public async Task ArxivRawMetadata_SplitsTheAuthorStringAndDatesByTheEarliestVersion()
    {
        var items = await ReadHelper.ReadAllAsync(new ArxivOaiFormat(), ReadHelper.Utf8(Head + RawRecord + Tail));

        var record = Assert.Single(items).Record!;
        Assert.Equal(["J. Müller", "E. L. Okafor", "C. Dubois"], record.Authors.Select(a => a.Name));
        Assert.Equal(new DateOnly(2007, 4, 2), record.Published);
        Assert.Equal(["hep-ph"], record.Categories);
    }

    [Fact]
    public async Task DeletedRecord_IsSkipped_AndTheOthersRead()
    {
        var items = await ReadHelper.ReadAllAsync(new ArxivOaiFormat(), ReadHelper.Utf8(Head + ArxivRecord + DeletedRecord + RawRecord + Tail));

        Assert.Equal(["0704.0002", "0704.0001"], items.Select(i => i.Record!.ArxivId));
    }

    [Fact]
    public async Task TruncatedPage_KeepsTheRecordsBeforeTheCut_AndReportsInvalidXml()
    {
        var whole = Head + ArxivRecord + RawRecord + Tail;
        var cut = whole[..(whole.IndexOf("<arXivRaw", StringComparison.Ordinal) + 20)];

        var items = await ReadHelper.ReadAllAsync(new ArxivOaiFormat(), ReadHelper.Utf8(cut));

        Assert.Equal("0704.0002", items[0].Record!.ArxivId);
        Assert.Contains("invalid XML", items[^1].Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dtd_IsRefusedWithoutReadingAnything()
    {
        var hostile = "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY lol \"lol\">]>" + Head[Head.IndexOf("<OAI-PMH", StringComparison.Ordinal)..] + ArxivRecord + Tail;

        var item = Assert.Single(await ReadHelper.ReadAllAsync(new ArxivOaiFormat(), ReadHelper.Utf8(hostile)));

        Assert.Contains("DTD", item.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OaiError_IsTheFilesError()
    {
        var page = Head[..Head.IndexOf("<ListRecords>", StringComparison.Ordinal)] + "<error code=\"cannotDisseminateFormat\">no such format</error></OAI-PMH>";

        var item = Assert.Single(await ReadHelper.ReadAllAsync(new ArxivOaiFormat(), ReadHelper.Utf8(page)));

        Assert.Equal("file", item.Error!.Location);
        Assert.Contains("cannotDisseminateFormat", item.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detector_TellsAnOaiPageFromAnAtomFeed()
    {
        var format = new ArxivOaiFormat();

        Assert.True(format.Recognises(System.Text.Encoding.UTF8.GetBytes(Head + ArxivRecord), "page.xml"));
        Assert.False(new ArxivAtomFormat().Recognises(System.Text.Encoding.UTF8.GetBytes(Head + ArxivRecord), "page.xml"));
        Assert.False(format.Recognises("<feed xmlns=\"http://www.w3.org/2005/Atom\">arxiv</feed>"u8, "feed.xml"));
    }
}

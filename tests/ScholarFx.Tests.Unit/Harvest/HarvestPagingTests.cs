using System.Text;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Harvest;

namespace ScholarFx.Tests.Unit.Harvest;

public sealed class HarvestPagingTests
{
    private static readonly HarvestWindow Window = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 10));

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Oai(string inner) =>
        $"<?xml version=\"1.0\"?><OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2026-03-10T00:00:00Z</responseDate>{inner}</OAI-PMH>";

    private const string Record = "<record><header><identifier>oai:arXiv.org:1</identifier><datestamp>2026-03-02</datestamp></header><metadata/></record>";

    [Fact]
    public void OaiPage_CountsRecordsButNotDeletedOnes_AndReadsTheToken()
    {
        var page = ArxivOaiHarvester.ParsePage(Bytes(Oai($"<ListRecords>{Record}{Record}<record><header status=\"deleted\"><identifier>x</identifier></header></record><resumptionToken cursor=\"0\">7001|1001</resumptionToken></ListRecords>")));

        Assert.Equal((2, "7001|1001"), (page.Records, page.NextCursor));
    }

    [Fact]
    public void OaiPage_WithAnEmptyToken_IsTheLast()
    {
        var page = ArxivOaiHarvester.ParsePage(Bytes(Oai($"<ListRecords>{Record}<resumptionToken completeListSize=\"1\" cursor=\"0\"/></ListRecords>")));

        Assert.Equal((1, null), (page.Records, page.NextCursor));
    }

    [Theory]
    [InlineData("noRecordsMatch", false, false)]
    [InlineData("badResumptionToken", true, false)]
    [InlineData("badArgument", false, true)]
    public void OaiErrors_AreAnEmptyWindowAnExpiredCursorOrAStop(string code, bool expired, bool stops)
    {
        var page = ArxivOaiHarvester.ParsePage(Bytes(Oai($"<error code=\"{code}\">text</error>")));

        Assert.Equal((expired, stops, 0, null), (page.CursorExpired, page.Error is not null, page.Records, page.NextCursor));
        Assert.Null(page.Unparseable);
    }

    [Fact]
    public void TruncatedOaiPage_DoesNotParse_EvenWhenItsTokenWasRead()
    {
        var whole = Oai($"<ListRecords>{Record}<resumptionToken>7001|1001</resumptionToken></ListRecords>");

        var page = ArxivOaiHarvester.ParsePage(Bytes(whole[..^5]));

        Assert.NotNull(page.Unparseable);
    }

    [Fact]
    public void OpenAlexPage_ReadsNextCursor_AndAnEmptyOrNullCursorPageIsTheLast()
    {
        var middle = OpenAlexHarvester.ParsePage(Bytes("""{"meta":{"count":3,"next_cursor":"abc"},"results":[{"id":"W1"},{"id":"W2"}]}"""));
        var last = OpenAlexHarvester.ParsePage(Bytes("""{"meta":{"count":3,"next_cursor":null},"results":[{"id":"W3"}]}"""));
        var empty = OpenAlexHarvester.ParsePage(Bytes("""{"meta":{"count":3,"next_cursor":"def"},"results":[]}"""));

        Assert.Equal((2, "abc"), (middle.Records, middle.NextCursor));
        Assert.Equal((1, null), (last.Records, last.NextCursor));
        Assert.Equal((0, null), (empty.Records, empty.NextCursor));
    }

    [Theory]
    [InlineData("""{"meta":{"next_cursor":"abc"},"results":[{"id":"W1"}""")]
    [InlineData("""{"error":"Invalid query"}""")]
    public void OpenAlexPage_TruncatedOrWithoutResults_DoesNotParse(string body) =>
        Assert.NotNull(OpenAlexHarvester.ParsePage(Bytes(body)).Unparseable);

    [Fact]
    public void ArxivContinuation_CarriesOnlyTheVerbAndTheToken()
    {
        var harvester = new ArxivOaiHarvester(Options.Create(new ArxivHarvestOptions { Endpoint = "https://oaipmh.arxiv.org/oai", Set = "physics:hep-th" }), new HarvestClock(new FixedClock()));

        Assert.Equal("https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=physics%3Ahep-th&from=2026-03-01&until=2026-03-10", harvester.PageUri(Window, null).AbsoluteUri);
        Assert.Equal("https://oaipmh.arxiv.org/oai?verb=ListRecords&resumptionToken=7001%7C1001", harvester.PageUri(Window, "7001|1001").AbsoluteUri);
    }

    [Fact]
    public void OpenAlexPage_AsksForTheFilterWithinTheWindowByCursor()
    {
        var harvester = new OpenAlexHarvester(Options.Create(new OpenAlexHarvestOptions
        {
            Endpoint = "https://api.openalex.org/works", Filter = "authorships.institutions.ror:https://ror.org/02mhbdp94", Mailto = "a@example.org", ApiKey = "k",
        }), new HarvestClock(new FixedClock()));

        var uri = harvester.PageUri(Window, null).AbsoluteUri;

        Assert.Equal("https://api.openalex.org/works?filter=authorships.institutions.ror%3Ahttps%3A%2F%2Fror.org%2F02mhbdp94%2Cfrom_publication_date%3A2026-03-01%2Cto_publication_date%3A2026-03-10&per-page=200&cursor=%2A&mailto=a%40example.org&api_key=k", uri);
    }

    [Fact]
    public void FirstWindow_BackfillsFromTheConfiguredDayOrThreeYears_AndTheNextStartsOnTheLastCompletedDay()
    {
        var today = new DateOnly(2026, 3, 10);

        Assert.Equal(new HarvestWindow(new DateOnly(2025, 1, 1), today), HarvestWindow.Next(null, new DateOnly(2025, 1, 1), today));
        Assert.Equal(new HarvestWindow(new DateOnly(2023, 3, 10), today), HarvestWindow.Next(null, null, today));
        Assert.Equal(new HarvestWindow(new DateOnly(2026, 3, 8), today), HarvestWindow.Next(new DateOnly(2026, 3, 8), new DateOnly(2025, 1, 1), today));
        Assert.Equal(new HarvestWindow(today, today), HarvestWindow.Next(null, new DateOnly(2027, 1, 1), today));
        Assert.Equal("2026-03-01_2026-03-10", Window.Name);
    }

    [Fact]
    public void AWindowCompletedTodayAndAskedForAgain_IsNamedByItsStart_SoItsPagesAreNotTakenForTheEarlierOnes()
    {
        var today = new DateOnly(2026, 3, 10);
        var now = new DateTimeOffset(2026, 3, 10, 8, 30, 5, TimeSpan.Zero);

        var repeat = HarvestWindow.Next(today, null, today, now: now);
        var nextDay = HarvestWindow.Next(today, null, today.AddDays(1), now: now.AddDays(1));

        Assert.Equal("2026-03-10_2026-03-10_083005", repeat.Name);
        Assert.Equal((today, today), (repeat.From, repeat.Until));
        Assert.Equal("2026-03-10_2026-03-11", nextDay.Name);
    }

    [Fact]
    public void PageName_IsTheSameForTheSameCursor_AndDiffersForAnother()
    {
        var first = HarvestService.PageName("arxiv", Window, 2, "7001|1001", "xml");

        Assert.Equal(first, HarvestService.PageName("arxiv", Window, 2, "7001|1001", "xml"));
        Assert.NotEqual(first, HarvestService.PageName("arxiv", Window, 2, "7002|1001", "xml"));
        Assert.Matches(@"^harvest/arxiv/2026-03-01_2026-03-10/000002-[0-9a-f]{12}\.xml$", first);
    }

    [Fact]
    public void Backoff_DoublesFromTwoSecondsUpToTheCap()
    {
        var cap = TimeSpan.FromSeconds(20);

        Assert.Equal([2, 4, 8, 16, 20, 20], Enumerable.Range(1, 6).Select(a => HarvestHttp.Backoff(a, cap).TotalSeconds));
    }

    [Fact]
    public void UserAgent_NamesTheProductAndTheContact()
    {
        Assert.Equal("ScholarFx/1.0 (+mailto:ops@example.org)", HarvestHttp.UserAgent("ops@example.org"));
        Assert.Equal("ScholarFx/1.0", HarvestHttp.UserAgent(null));
    }
}

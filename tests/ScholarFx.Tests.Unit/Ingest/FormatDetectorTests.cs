using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core;
using ScholarFx.Core.Ingest;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class FormatDetectorTests
{
    private readonly FormatDetector detector = new([new ScholarFxJsonFormat()]);

    [Fact]
    public async Task DetectAsync_ReportsEmptyFile()
    {
        var (format, _, problem) = await detector.DetectAsync(new MemoryStream(), "empty.json", CancellationToken.None);

        Assert.Null(format);
        Assert.Equal("the file is empty", problem);
    }

    [Theory]
    [InlineData(" \r\n\t \n", false)]
    [InlineData("", true)]
    [InlineData("\n\n", true)]
    public async Task DetectAsync_ReportsWhitespaceOnlyFileAsEmpty(string text, bool bom)
    {
        var (format, _, problem) = await detector.DetectAsync(Utf8(text, bom), "blank.json", CancellationToken.None);

        Assert.Null(format);
        Assert.Equal("the file is empty", problem);
    }

    [Fact]
    public async Task DetectAsync_ReportsBinaryFile()
    {
        var content = new MemoryStream([(byte)'{', 0x00, 0x01, 0xFF, 0x00, (byte)'}']);

        var (format, _, problem) = await detector.DetectAsync(content, "image.json", CancellationToken.None);

        Assert.Null(format);
        Assert.Contains("binary", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetectAsync_ReportsUnrecognisedText()
    {
        var (format, _, problem) = await detector.DetectAsync(Utf8("title: Deep Nets\nabstract: ..."), "notes.txt", CancellationToken.None);

        Assert.Null(format);
        Assert.StartsWith("unrecognised format", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetectAsync_PicksFormatThatRecognisesTheContent()
    {
        var (format, _, problem) = await detector.DetectAsync(Utf8(Paper("A")), "a.jsonl", CancellationToken.None);

        Assert.IsType<ScholarFxJsonFormat>(format);
        Assert.Null(problem);
    }

    [Fact]
    public async Task DetectAsync_DetectsFromContent_NotFileName()
    {
        var (format, _, _) = await detector.DetectAsync(Utf8(Paper("A")), "papers.bib", CancellationToken.None);

        Assert.IsType<ScholarFxJsonFormat>(format);
    }

    [Fact]
    public async Task DetectAsync_AsksFormatsInOrder_AndStopsAtFirstThatRecognises()
    {
        var first = new NeverRecognised();
        var second = new ScholarFxJsonFormat();
        var third = new NeverRecognised();
        var detectorOfThree = new FormatDetector([first, second, third]);

        var (format, _, _) = await detectorOfThree.DetectAsync(Utf8(Paper("A")), "a.json", CancellationToken.None);

        Assert.Same(second, format);
        Assert.Equal(1, first.Asked);
        Assert.Equal(0, third.Asked);
    }

    [Fact]
    public async Task DetectAsync_ReplaysWholeContent_WhenFileIsShorterThanHead()
    {
        var text = Paper("A") + "\n" + Paper("B") + "\n";

        var (_, content, _) = await detector.DetectAsync(Utf8(text), "a.jsonl", CancellationToken.None);

        Assert.Equal(text, await new StreamReader(content).ReadToEndAsync());
    }

    [Fact]
    public async Task DetectAsync_ReplaysWholeContent_WhenFileIsLongerThanHead()
    {
        var builder = new StringBuilder();
        for (var i = 0; builder.Length < 200 * 1024; i++)
        {
            builder.Append(Paper("P" + i)).Append('\n');
        }

        var text = builder.ToString();

        var (_, content, _) = await detector.DetectAsync(Utf8(text), "big.jsonl", CancellationToken.None);

        Assert.Equal(text, await new StreamReader(content).ReadToEndAsync());
    }

    [Fact]
    public async Task DetectAsync_ReplayedStreamGivesReaderEveryRecord()
    {
        var builder = new StringBuilder();
        for (var i = 0; builder.Length < 150 * 1024; i++)
        {
            builder.Append(Paper("P" + i)).Append('\n');
        }

        var lines = builder.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var (format, content, _) = await detector.DetectAsync(Utf8(builder.ToString()), "big.jsonl", CancellationToken.None);

        var items = await ReadAllAsync(format!, content);

        Assert.Equal(lines, items.Count(i => i.Record is not null));
        Assert.Equal("P0", items[0].Record?.Title);
        Assert.Equal("P" + (lines - 1), items[^1].Record?.Title);
    }

    [Fact]
    public async Task DetectAsync_ReplaysContent_WhenItReportsAProblem()
    {
        const string text = "plain text";

        var (_, content, _) = await detector.DetectAsync(Utf8(text), "a.txt", CancellationToken.None);

        Assert.Equal(text, await new StreamReader(content).ReadToEndAsync());
    }

    [Theory]
    [InlineData("arxiv-atom-feed.xml", "arxiv-atom")]
    [InlineData("arxiv-snapshot.jsonl", "arxiv-snapshot")]
    [InlineData("openalex-works.json", "openalex")]
    [InlineData("semantic-scholar-papers.json", "semantic-scholar")]
    [InlineData("bibtex-library.bib", "bibtex")]
    [InlineData("boyu-shi-and-colleagues.json", "scholarfx-json")]
    [InlineData("physics-and-nlp.jsonl", "scholarfx-json")]
    [InlineData("single-paper.json", "scholarfx-json")]
    public async Task RegisteredDetector_RecognisesEverySampleAsItsFormat(string sample, string expected)
    {
        // Under another name, so only the content can tell.
        var (format, _, problem) = await RegisteredDetector().DetectAsync(Sample(sample), "upload.dat", CancellationToken.None);

        Assert.Equal((expected, null), (format?.Name, problem));
    }

    [Theory]
    [InlineData("""{"id":"https://openalex.org/W1","abstract_inverted_index":{"A":[0]}}""", "openalex")]
    [InlineData("""[{"id":"https://openalex.org/W1","authorships":[]}]""", "openalex")]
    [InlineData("""{"meta":{"count":1},"results":[{"id":"https://openalex.org/W1","cited_by_count":3}]}""", "openalex")]
    [InlineData("""{"paperId":"abc","title":"T"}""", "semantic-scholar")]
    [InlineData("""[{"externalIds":{"ArXiv":"2101.00001"}}, null]""", "semantic-scholar")]
    [InlineData("""{"total":1,"data":[{"paperId":"abc"}]}""", "semantic-scholar")]
    [InlineData("""{"id":"0704.0001","authors_parsed":[["Shi","Boyu",""]]}""", "arxiv-snapshot")]
    [InlineData("""{"id":"0704.0001","versions":[],"update_date":"2008-11-13"}""", "arxiv-snapshot")]
    [InlineData("""{"title":"About paperId and authors_parsed","authors":["A"]}""", "scholarfx-json")]
    [InlineData("%% exported\n\n  @Article{key,\n title = {T}}", "bibtex")]
    [InlineData("""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"/>""", "arxiv-atom")]
    public async Task RegisteredDetector_PicksTheMostSpecificFormat(string head, string expected)
    {
        var (format, _, _) = await RegisteredDetector().DetectAsync(Utf8(head), "upload.json", CancellationToken.None);

        Assert.Equal(expected, format?.Name);
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><rss version="2.0"><channel/></rss>""")]
    [InlineData("""<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title></feed>""")]
    [InlineData("Contact: someone@example.org {not bibtex}")]
    public async Task RegisteredDetector_RecognisesNoFormat_AndNamesEveryFormatItReads(string text)
    {
        var (format, _, problem) = await RegisteredDetector().DetectAsync(Utf8(text), "a.txt", CancellationToken.None);

        Assert.Null(format);
        foreach (var name in new[] { "ScholarFx JSON", "Atom", "snapshot", "OpenAlex", "Semantic Scholar", "BibTeX" })
        {
            Assert.Contains(name, problem, StringComparison.Ordinal);
        }
    }

    /// <summary>The detector with the formats AddScholarFx registers, in its order.</summary>
    private static FormatDetector RegisteredDetector()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        builder.AddScholarFx();
        return builder.Services.BuildServiceProvider().GetRequiredService<FormatDetector>();
    }

    private sealed class NeverRecognised : IRecordFormat
    {
        public int Asked { get; private set; }

        public string Name => "never";

        public bool Recognises(ReadOnlySpan<byte> head, string fileName)
        {
            Asked++;
            return false;
        }

        public IAsyncEnumerable<ReadItem> ReadAsync(Stream content, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}

using System.Text;
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

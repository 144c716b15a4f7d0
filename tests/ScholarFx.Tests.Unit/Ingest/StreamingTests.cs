using System.Text;
using ScholarFx.Core.Ingest;

namespace ScholarFx.Tests.Unit.Ingest;

/// <summary>Every reader hands out records while the file is still being read, never after loading it whole.</summary>
public sealed class StreamingTests
{
    private const int FileBytes = 4 * 1024 * 1024;
    private const int ReadableBytes = 1024 * 1024;

    public static TheoryData<string> Formats => ["arxiv-atom", "arxiv-snapshot", "openalex", "semantic-scholar", "bibtex", "scholarfx-json"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ReadAsync_YieldsRecordsBeforeTheWholeFileIsRead(string name)
    {
        var (format, file) = LargeFile(name);
        // The stream fails after the first MiB of four: records read before that prove the reader streams.
        var content = new FailingAfter(new MemoryStream(file), ReadableBytes);
        var records = 0;

        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var item in format.ReadAsync(content, CancellationToken.None))
            {
                Assert.Null(item.Error);
                records++;
            }
        });

        Assert.IsType<IOException>(failure);
        Assert.True(records > 100, $"{name}: only {records} records before the failure");
    }

    private static (IRecordFormat Format, byte[] File) LargeFile(string name)
    {
        var text = new StringBuilder();
        var (format, start, record, separator, end) = name switch
        {
            "arxiv-atom" => new Shape(new ArxivAtomFormat(), "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n",
                i => $"<entry><id>http://arxiv.org/abs/2101.{i:D5}v1</id><published>2021-01-01T00:00:00Z</published><title>T {i}</title><summary>{Filler}</summary><author><name>A B</name></author></entry>",
                "\n", "</feed>"),
            "arxiv-snapshot" => new Shape(new ArxivSnapshotFormat(), "",
                i => $$"""{"id":"2101.{{i:D5}}","title":"T {{i}}","abstract":"{{Filler}}","authors_parsed":[["B","A",""]],"versions":[{"version":"v1","created":"Fri, 1 Jan 2021 00:00:00 GMT"}],"update_date":"2021-01-02"}""",
                "\n", ""),
            "openalex" => new Shape(new OpenAlexFormat(), "{\n  \"meta\": {\"count\": 1},\n  \"results\": [\n",
                i => $$$"""    {"id":"https://openalex.org/W{{{i}}}","title":"T {{{i}}}","publication_date":"2021-01-01","authorships":[{"author":{"display_name":"A B"}}],"abstract_inverted_index":{"{{{Filler}}}":[0]}}""",
                ",\n", "\n  ]\n}\n"),
            "semantic-scholar" => new Shape(new SemanticScholarFormat(), "{\n  \"total\": 1,\n  \"data\": [\n",
                i => $$"""    {"paperId":"p{{i}}","title":"T {{i}}","abstract":"{{Filler}}","authors":[{"name":"A B"}],"publicationDate":"2021-01-01"}""",
                ",\n", "\n  ]\n}\n"),
            "bibtex" => new Shape(new BibTexFormat(), "",
                i => $"@article{{k{i}, title = {{T {i}}}, author = {{B, A}}, date = {{2021-01-01}}, abstract = {{{Filler}}}}}",
                "\n\n", ""),
            _ => new Shape(new ScholarFxJsonFormat(), "[\n",
                i => $$"""  {"title":"T {{i}}","abstract":"{{Filler}}","authors":["A B"],"published":"2021-01-01"}""",
                ",\n", "\n]\n"),
        };

        text.Append(start);
        for (var i = 0; text.Length < FileBytes; i++)
        {
            text.Append(i == 0 ? "" : separator).Append(record(i));
        }

        text.Append(end);
        return (format, Encoding.UTF8.GetBytes(text.ToString()));
    }

    private sealed record Shape(IRecordFormat Format, string Start, Func<int, string> Record, string Separator, string End);

    private static string Filler => "words about the paper " + new string('x', 400);

    private sealed class FailingAfter(Stream inner, int readable) : Stream
    {
        private int read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (read >= readable)
            {
                throw new IOException("the rest of the file is not there yet");
            }

            var n = inner.Read(buffer, offset, Math.Min(count, readable - read));
            read += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

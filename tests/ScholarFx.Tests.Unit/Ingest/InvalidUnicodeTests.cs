using System.Globalization;
using System.Text;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using static ScholarFx.Tests.Unit.Ingest.ReadHelper;

namespace ScholarFx.Tests.Unit.Ingest;

/// <summary>
/// Text .NET cannot normalise (a lone surrogate, a noncharacter) in every text field of every format: the record is
/// read with U+FFFD in its place, or is that record's error with its place; the reader never throws, so the file is
/// never retried into poison. Every file is generated here, with the bad text written as each format can carry it.
/// </summary>
public sealed class InvalidUnicodeTests
{
    private const string Good = "Good paper";

    /// <summary>Each format's writer of a file of papers (title, abstract, author, affiliation, category), as bytes.</summary>
    public static TheoryData<string> Formats => [.. Writers.Keys];

    private static readonly Dictionary<string, (IRecordFormat Format, Func<IReadOnlyList<Fields>, byte[]> Write)> Writers = new()
    {
        ["jsonl"] = (new ScholarFxJsonFormat(), papers => Utf8Bytes(string.Join('\n', papers.Select(ScholarFxJson)))),
        ["json-array"] = (new ScholarFxJsonFormat(), papers => Utf8Bytes("[\n" + string.Join(",\n", papers.Select(ScholarFxJson)) + "\n]")),
        ["openalex"] = (new OpenAlexFormat(), papers => Utf8Bytes("{\"results\":[" + string.Join(",", papers.Select(OpenAlexJson)) + "]}")),
        ["semantic-scholar"] = (new SemanticScholarFormat(), papers => Utf8Bytes("{\"data\":[" + string.Join(",", papers.Select(SemanticScholarJson)) + "]}")),
        ["arxiv-snapshot"] = (new ArxivSnapshotFormat(), papers => Utf8Bytes(string.Join('\n', papers.Select(SnapshotJson)))),
        ["arxiv-atom"] = (new ArxivAtomFormat(), papers => Utf8Bytes(AtomFeed(papers))),
        ["bibtex"] = (new BibTexFormat(), papers => [.. papers.SelectMany(BibTexEntry)]),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Reader_KeepsEveryRecord_AndReplacesALoneSurrogateOrANoncharacter(string format)
    {
        var (reader, write) = Writers[format];
        Fields[] papers =
        [
            new(Good, "A good abstract.", "Boyu Shi", "Lab A", "cs.LG"),
            new("Bad \uD800 surrogate", "An abstract with \uDC00 half a pair.", "Ada \uD83D Lovelace", "Lab \uDBFF B", "cs.\uD800AI"),
            new("Bad \uFFFE noncharacter", "An abstract with \uFDD0 and " + char.ConvertFromUtf32(0x1FFFE) + ".", "Cy \uFFFF Young", "Lab \uFDEF C", "cs.\uFFFECL"),
        ];

        var items = await ReadAllAsync(reader, new MemoryStream(write(papers)));

        Assert.All(items, i => Assert.Null(i.Error));
        var records = items.Select(i => i.Record!).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal(Good, records[0].Title);
        Assert.Equal("Boyu Shi", records[0].Authors[0].Name);
        Assert.All(records, AssertValid);
        Assert.StartsWith("Bad ", records[1].Title, StringComparison.Ordinal);
        Assert.Contains('\uFFFD', records[1].Title!);
        Assert.Contains('\uFFFD', records[1].Authors[0].Name);
        Assert.Contains('\uFFFD', records[2].Title!);
        Assert.Contains('\uFFFD', records[2].Abstract!);
        Assert.Contains('\uFFFD', records[2].Authors[0].Name);
    }

    [Theory]
    [InlineData("jsonl", "line 2")]
    [InlineData("json-array", "record 2")]
    public async Task JsonReader_ReportsARecordWithALoneSurrogateInAPropertyName_AndKeepsTheOthers(string shape, string location)
    {
        string[] lines = [Paper("One"), Paper("Two", ",\"ti\\udc00\":2"), Paper("Three")];
        var text = shape == "jsonl" ? string.Join('\n', lines) : "[" + string.Join(",", lines) + "]";

        var items = await ReadAllAsync(new ScholarFxJsonFormat(), Utf8(text));

        AssertOneBadAmongGood(items, ["One", null, "Three"], location, "could not be read");
    }

    [Fact]
    public async Task JsonArray_ReadsBytesThatAreNotUtf8_AsReplacementCharacters()
    {
        var bytes = Encoding.UTF8.GetBytes("[" + Paper("Bad XX bytes") + "," + Paper("Next") + "]");
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xFF;
        bytes[at + 1] = 0xED; // the first byte of an encoded lone surrogate (CESU-8), with no continuation

        var records = await ReadRecordsAsync(new ScholarFxJsonFormat(), new MemoryStream(bytes));

        Assert.Equal(["Bad \uFFFD\uFFFD bytes", "Next"], records.Select(r => r.Title));
    }

    [Fact]
    public async Task OpenAlex_ReadsAnInvertedIndexWordWithALoneSurrogate_AsAReplacementCharacter()
    {
        const string work = """{"id":"https://openalex.org/W1","title":"T","publication_date":"2024-03-01","authorships":[{"author":{"display_name":"Bo Shi"}}],"abstract_inverted_index":{"Bad\ud800":[0],"word":[1]}}""";

        var record = Assert.Single(await ReadRecordsAsync(new OpenAlexFormat(), Utf8(work)));

        Assert.Equal("Bad\uFFFD word", record.Abstract);
    }

    [Fact]
    public void JsonFormatDetection_IsNotStoppedByALoneSurrogateInAPropertyName()
    {
        var head = Encoding.UTF8.GetBytes("{\"a\\ud800\":1,\"paperId\":\"p1\",\"title\":\"T\"}");

        Assert.True(new SemanticScholarFormat().Recognises(head, "s2.json"));
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBF, 0xBE })]
    [InlineData(new byte[] { 0xEF, 0xBF, 0xBF })]
    [InlineData(new byte[] { 0xEF, 0xB7, 0x90 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public async Task AtomFeed_ReadsARawNoncharacterOrBytesThatAreNotUtf8_AsReplacementCharacters_AndKeepsTheRest(byte[] bad)
    {
        var feed = Encoding.UTF8.GetBytes(AtomFeed([new("Bad X title", "An abstract.", "Bo Shi", "Lab", "cs.LG"), new("Next", "An abstract.", "Bo Shi", "Lab", "cs.LG")])).ToList();
        var at = feed.IndexOf((byte)'X');
        feed.RemoveAt(at);
        feed.InsertRange(at, bad);

        var records = await ReadRecordsAsync(new ArxivAtomFormat(), new MemoryStream([.. feed]));

        Assert.Equal(2, records.Count);
        Assert.Matches("^Bad \uFFFD+ title$", records[0].Title);
        Assert.Equal("Next", records[1].Title);
    }

    [Fact]
    public async Task AtomFeed_DeclaringAnotherEncoding_IsStillDecodedInIt()
    {
        var feed = Encoding.Latin1.GetBytes(AtomFeed([new("Caf\u00e9 physics", "An abstract.", "Bo Shi", "Lab", "cs.LG")])
            .Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal)
            .Replace("&#xE9;", "\u00e9", StringComparison.Ordinal));

        var record = Assert.Single(await ReadRecordsAsync(new ArxivAtomFormat(), new MemoryStream(feed)));

        Assert.Equal("Caf\u00e9 physics", record.Title);
    }

    [Fact]
    public async Task IdentityCorrections_KeepTheGoodOnes_AndCleanOrReportTheBadOnes()
    {
        const string file = """
            { "scholarfxIdentity": [
                { "merge": ["amrit-s-bedi"], "into": "amrit-singh-bedi" },
                { "variant": "A. S. Bedi \ud800", "orcid": "0000-0002-1825-0097" },
                { "variant": "A. S. Bedi \ufffe", "orcid": "0000-0002-1825-0097" },
                { "merge": ["wei\ud800-zhang"], "into": "wei-zhang" },
                { "variant": "A. Bedi", "orcid": "0000-0002-1825-0097", "or\udc00": 2 } ] }
            """;

        var (corrections, errors) = await IdentityCorrectionsFormat.ReadCorrectionsAsync(Utf8(file), CancellationToken.None);

        Assert.Equal(["correction 1", "correction 2", "correction 3"], corrections.Select(c => c.Location));
        Assert.Equal(["A. S. Bedi \uFFFD", "A. S. Bedi \uFFFD"], corrections.OfType<VariantCorrection>().Select(v => v.Name));
        Assert.Equal(["correction 4", "correction 5"], errors.Select(e => e.Location));
        Assert.Contains("is not an author id", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("could not be read", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Reader_NeverThrows_OnRandomUnicodeInEveryTextField(string format)
    {
        var (reader, write) = Writers[format];
        var random = new Random(format.GetHashCode(StringComparison.Ordinal) ^ 1207);
        var validator = new RecordValidator(new FixedClock());
        for (var file = 0; file < 150; file++)
        {
            List<Fields> papers = [new(Good, "A good abstract.", "Boyu Shi", "Lab A", "cs.LG")];
            for (var paper = 0; paper < 3; paper++)
            {
                papers.Add(new(Random(random), Random(random), Random(random), Random(random), Random(random)));
            }

            var items = await ReadAllAsync(reader, new MemoryStream(write(papers)));

            Assert.Equal(Good, items[0].Record?.Title);
            foreach (var record in items.Where(i => i.Record is not null).Select(i => i.Record!))
            {
                AssertValid(record);
                // What ingest does with a record next must not throw either.
                _ = validator.Problem(record);
                _ = record.Aliases();
                Assert.All(record.Authors, a => Assert.NotEmpty(AuthorKey.FromName(a.Name)));
            }

            Assert.All(items.Where(i => i.Error is not null), i => Assert.Same(i.Error!.Location, ValidText.Clean(i.Error.Location)));
        }
    }

    [Fact]
    public async Task IdentityCorrections_NeverThrow_OnRandomUnicodeInEveryValue()
    {
        var random = new Random(1207);
        for (var file = 0; file < 300; file++)
        {
            var json = $$"""
                { "scholarfxIdentity": [
                    { "variant": {{JsonString(Random(random))}}, "orcid": {{JsonString(Random(random))}} },
                    { "merge": [{{JsonString(Random(random))}}], "into": {{JsonString(Random(random))}} },
                    { "move": [{{JsonString(Random(random))}}], "from": {{JsonString(Random(random))}}, "to": "wei-zhang" },
                    { "variant": "A. Bedi", "orcid": "0000-0002-1825-0097" } ] }
                """;

            var (corrections, errors) = await IdentityCorrectionsFormat.ReadCorrectionsAsync(Utf8(json), CancellationToken.None);

            Assert.Equal(4, corrections.Count + errors.Count);
            Assert.Contains(corrections, c => c.Location == "correction 4");
            Assert.All(corrections.OfType<VariantCorrection>(), v => Assert.Same(v.Name, ValidText.Clean(v.Name)));
        }
    }

    private static string Random(Random random) => "x" + RandomText.Next(random, 20);

    private static void AssertValid(SourceRecord record)
    {
        string?[] values =
        [
            record.Title, record.Abstract, record.GivenId, record.Doi, record.ArxivId, record.OpenAlexId, record.SemanticScholarId,
            .. record.Categories, .. record.Authors.Select(a => a.Name), .. record.Authors.SelectMany(a => a.Institutions),
            .. record.Authors.SelectMany(a => a.SourceIds), .. record.Authors.Select(a => a.Orcid),
        ];
        foreach (var value in values.OfType<string>())
        {
            Assert.Same(value, ValidText.Clean(value));
            _ = value.Normalize(NormalizationForm.FormKD);
        }
    }

    private static byte[] Utf8Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A JSON string with every character outside printable ASCII escaped, so lone surrogates survive as escapes.</summary>
    private static string JsonString(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            json.Append(c is >= ' ' and < '\x7F' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return json.Append('"').ToString();
    }

    private static string ScholarFxJson(Fields p, int i) =>
        $$"""{"id":"sfx:u{{i}}","title":{{JsonString(p.Title)}},"abstract":{{JsonString(p.Abstract)}},"authors":[{"name":{{JsonString(p.Author)}},"affiliations":[{{JsonString(p.Affiliation)}}]}],"categories":[{{JsonString(p.Category)}}],"published":"2024-03-01"}""";

    private static string OpenAlexJson(Fields p, int i) =>
        $$"""{"id":"https://openalex.org/W{{i}}","title":{{JsonString(p.Title)}},"publication_date":"2024-03-01","abstract_inverted_index":{ {{string.Join(",", p.Abstract.Split(' ').Select((w, n) => $"{JsonString(w)}:[{n}]"))}} },"authorships":[{"author":{"display_name":{{JsonString(p.Author)}}},"institutions":[{"display_name":{{JsonString(p.Affiliation)}}}]}],"primary_topic":{"subfield":{"display_name":{{JsonString(p.Category)}}""" + "}}}";

    private static string SemanticScholarJson(Fields p, int i) =>
        $$"""{"paperId":"p{{i}}","title":{{JsonString(p.Title)}},"abstract":{{JsonString(p.Abstract)}},"publicationDate":"2024-03-01","authors":[{"name":{{JsonString(p.Author)}},"affiliations":[{{JsonString(p.Affiliation)}}]}],"fieldsOfStudy":[{{JsonString(p.Category)}}]}""";

    private static string SnapshotJson(Fields p, int i) =>
        $$"""{"id":"2403.{{10000 + i}}","title":{{JsonString(p.Title)}},"abstract":{{JsonString(p.Abstract)}},"authors_parsed":[[{{JsonString(p.Author)}},"",""]],"categories":{{JsonString(p.Category)}},"versions":[{"version":"v1","created":"Mon, 4 Mar 2024 10:00:00 GMT"}],"update_date":"2024-03-04"}""";

    /// <summary>XML text with every character outside printable ASCII as a character reference (a lone surrogate's too).</summary>
    private static string XmlText(string text)
    {
        var xml = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                xml.Append(CultureInfo.InvariantCulture, $"&#x{char.ConvertToUtf32(c, text[++i]):X};");
            }
            else
            {
                xml.Append(c is >= ' ' and < '\x7F' and not '<' and not '&' and not '>' and not '"' ? c.ToString() : $"&#x{(int)c:X};");
            }
        }

        return xml.ToString();
    }

    private static string AtomFeed(IReadOnlyList<Fields> papers) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n" +
        string.Concat(papers.Select((p, i) => $"""
            <entry>
              <id>http://arxiv.org/abs/2403.{10000 + i}v1</id>
              <published>2024-03-01T00:00:00Z</published>
              <title>{XmlText(p.Title)}</title>
              <summary>{XmlText(p.Abstract)}</summary>
              <author><name>{XmlText(p.Author)}</name><arxiv:affiliation>{XmlText(p.Affiliation)}</arxiv:affiliation></author>
              <arxiv:primary_category term="{XmlText(p.Category)}"/>
            </entry>

            """)) + "</feed>\n";

    /// <summary>
    /// A BibTeX entry as UTF-8, except that a lone surrogate is written as the three bytes an encoder that does not
    /// check would write (CESU-8): what a file can hold in its place, since UTF-8 has no form for it.
    /// </summary>
    private static byte[] BibTexEntry(Fields p, int i)
    {
        var bytes = new List<byte>();
        void Text(string text)
        {
            for (var j = 0; j < text.Length; j++)
            {
                var c = text[j];
                if (char.IsHighSurrogate(c) && j + 1 < text.Length && char.IsLowSurrogate(text[j + 1]))
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(j++, 2)));
                }
                else if (char.IsSurrogate(c))
                {
                    bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }
            }
        }

        Text($"@article{{key{i},\n  title = {{");
        Text(p.Title);
        Text("},\n  abstract = {");
        Text(p.Abstract);
        Text("},\n  author = {");
        Text(p.Author);
        Text("},\n  primaryClass = {");
        Text(p.Category);
        Text("},\n  year = {2024}, month = {mar}, day = {1}\n}\n\n");
        return [.. bytes];
    }

    private sealed record Fields(string Title, string Abstract, string Author, string Affiliation, string Category);
}

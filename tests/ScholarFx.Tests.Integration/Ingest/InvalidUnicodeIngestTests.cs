using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>
/// Text .NET cannot normalise — a lone surrogate, a noncharacter — through the real ingest (Azurite), in every format:
/// a file with a good paper and one paper holding each ends <c>succeeded</c> with every paper stored (the bad
/// characters as U+FFFD), where it used to throw out of the reader, be retried and end <c>poison</c> with no paper
/// after the bad one. Every input is generated here, the bad text written as each format can carry it.
/// </summary>
public sealed class InvalidUnicodeIngestTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private const string LoneSurrogate = "\uD800";
    private const string Noncharacter = "\uFFFE";

    private IProfileQueries Profiles => fixture.Services.GetRequiredService<IProfileQueries>();

    [Theory]
    [InlineData("jsonl")]
    [InlineData("json-array")]
    [InlineData("openalex")]
    [InlineData("semantic-scholar")]
    [InlineData("arxiv-snapshot")]
    [InlineData("arxiv-atom")]
    [InlineData("bibtex")]
    public async Task File_WithALoneSurrogateAndANoncharacter_Succeeds_WithEveryPaperStored(string format)
    {
        var tag = TestPapers.Unique("uni");
        var author = $"Unicode Author {tag}";
        Paper[] papers =
        [
            new($"Good paper {tag}", "A good abstract about graphs.", [author]),
            new($"Surrogate {LoneSurrogate} paper {tag}", $"An abstract with half {LoneSurrogate} a pair.", [author, $"Half {LoneSurrogate} Pair {tag}"]),
            new($"Noncharacter {Noncharacter} paper {tag}", $"An abstract with {Noncharacter} and \uFDD0.", [author, $"Non {Noncharacter} Character {tag}"]),
        ];
        var (name, content) = File(format, tag, papers);

        var receipt = await fixture.IngestAsync(await UploadBytesAsync(name, content));

        Assert.Equal((ReceiptStatus.Succeeded, 3, 3, 0), (receipt.Status, receipt.RecordsRead, receipt.PapersCreated, receipt.RecordsRejected));
        Assert.Empty(receipt.Errors);
        var profile = await ReadProfileAsync(AuthorKey.FromName(author));
        Assert.Equal(3, profile.GetProperty("paperCount").GetInt32());
        var titles = profile.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("title").GetString()!).ToList();
        Assert.Contains($"Good paper {tag}", titles);
        Assert.Equal(2, titles.Count(t => t.Contains('\uFFFD', StringComparison.Ordinal) && !t.Contains(LoneSurrogate, StringComparison.Ordinal) && !t.Contains(Noncharacter, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task JsonArray_WithARecordThatCannotBeRead_IsPartial_AndKeepsTheRecordsAroundIt()
    {
        var tag = TestPapers.Unique("uni-name");
        var author = $"Name Author {tag}";
        // A property name with a lone surrogate escape that System.Text.Json compares (and throws on) while mapping.
        var bad = TestPapers.Paper($"Bad name {tag}", [author], "2023-01-02")[..^1] + ",\"ti\\udc00\":1}";
        var content = "[" + TestPapers.Paper($"Before {tag}", [author], "2023-01-01") + "," + bad + "," +
            TestPapers.Paper($"After {tag}", [author], "2023-01-03") + "]";

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(tag + ".json", content));

        Assert.Equal((ReceiptStatus.Partial, 3, 2, 1), (receipt.Status, receipt.RecordsRead, receipt.PapersCreated, receipt.RecordsRejected));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal("record 2", error.Location);
        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
    }

    [Fact]
    public async Task IdentityCorrections_WithALoneSurrogateAndANoncharacter_ApplyTheRest()
    {
        var tag = TestPapers.Unique("uni-identity");
        var corrections = $$"""
            { "scholarfxIdentity": [
                { "variant": "Good Variant {{tag}}", "orcid": "0000-0002-1825-0097" },
                { "variant": "Half \ud800 Pair {{tag}}", "orcid": "0000-0002-1825-0097" },
                { "variant": "Non \ufffe Character {{tag}}", "orcid": "0000-0002-1825-0097" },
                { "merge": ["wei\ud800-zhang"], "into": "wei-zhang" } ] }
            """;

        var outcome = await fixture.Services.GetRequiredService<IIdentityCurations>().ApplyAsync(new MemoryStream(Encoding.UTF8.GetBytes(corrections)), "tester", CancellationToken.None);

        Assert.Equal((4, 3), (outcome.Read, outcome.Applied));
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("correction 4", error.Location);
        Assert.Contains("is not an author id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LoneSurrogate, error.Message, StringComparison.Ordinal);
    }

    // By index: a lone surrogate cannot travel in a test case's data (the runner's protocol carries UTF-16 as UTF-8).
    private static readonly string[] UnnormalisableQueries = [Noncharacter, LoneSurrogate, "\uDC00\uFDD0 \uFFFF"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task NameSearch_OfTextThatCannotBeNormalised_IsAnInvalidQuery_NotAnException(int query)
    {
        var found = await Profiles.FindAsync(UnnormalisableQueries[query], null, null, CancellationToken.None);

        Assert.NotNull(found.Problem);
    }

    [Fact]
    public async Task NameSearch_WithALoneSurrogateAfterAName_FindsTheName()
    {
        var tag = TestPapers.Unique("seek");
        var author = $"Seekable Author {tag}";
        Assert.Equal(ReceiptStatus.Succeeded, (await fixture.IngestAsync(await fixture.UploadAsync(tag + ".json", TestPapers.Paper($"Seek {tag}", [author], "2022-01-01")))).Status);

        var found = await Profiles.FindAsync($"seekable author {tag.ToLowerInvariant()}{LoneSurrogate}", null, null, CancellationToken.None);

        Assert.Null(found.Problem);
        Assert.Contains(found.Value!.Items, hit => hit.Id == AuthorKey.FromName(author));
    }

    private async Task<string> UploadBytesAsync(string name, byte[] content)
    {
        await fixture.Storage.EnsureCreatedAsync(CancellationToken.None);
        await fixture.Storage.Abstracts.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return name;
    }

    private async Task<JsonElement> ReadProfileAsync(string authorId)
    {
        var profile = await Profiles.GetProfileAsync(authorId, CancellationToken.None);
        Assert.NotNull(profile);
        return JsonDocument.Parse(profile.Json).RootElement;
    }

    /// <summary>The file's name and bytes: JSON with escapes, XML with character references, BibTeX as bytes.</summary>
    private static (string Name, byte[] Content) File(string format, string tag, Paper[] papers)
    {
        var arxiv = Random.Shared.Next(10000, 90000);
        string Json(Func<Paper, int, string> write, string separator) => string.Join(separator, papers.Select(write));
        return format switch
        {
            "jsonl" => (tag + ".jsonl", Utf8(Json(ScholarFxJson, "\n"))),
            "json-array" => (tag + ".json", Utf8("[\n" + Json(ScholarFxJson, ",\n") + "\n]")),
            "openalex" => (tag + ".json", Utf8("{\"results\":[" + Json((p, i) => $$"""{"id":"https://openalex.org/W{{tag}}{{i}}","title":{{J(p.Title)}},"publication_date":"2024-03-0{{i + 1}}","abstract_inverted_index":{ {{string.Join(",", p.Abstract.Split(' ').Select((w, n) => $"{J(w)}:[{n}]"))}} },"authorships":[{{string.Join(",", p.Authors.Select(a => "{\"author\":{\"display_name\":" + J(a) + "}}"))}}]}""", ",") + "]}")),
            "semantic-scholar" => (tag + ".json", Utf8("{\"data\":[" + Json((p, i) => $$"""{"paperId":"{{tag}}{{i}}","title":{{J(p.Title)}},"abstract":{{J(p.Abstract)}},"publicationDate":"2024-03-0{{i + 1}}","authors":[{{string.Join(",", p.Authors.Select(a => $$"""{"name":{{J(a)}}}"""))}}]}""", ",") + "]}")),
            "arxiv-snapshot" => (tag + ".jsonl", Utf8(Json((p, i) => $$"""{"id":"2403.{{arxiv + i}}","title":{{J(p.Title)}},"abstract":{{J(p.Abstract)}},"authors_parsed":[{{string.Join(",", p.Authors.Select(a => $"[{J(a)},\"\",\"\"]"))}}],"categories":"cs.LG","versions":[{"version":"v1","created":"Mon, 4 Mar 2024 10:00:00 GMT"}],"update_date":"2024-03-04"}""", "\n"))),
            "arxiv-atom" => (tag + ".xml", Utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n" +
                Json((p, i) => $"<entry><id>http://arxiv.org/abs/2403.{arxiv + i}v1</id><published>2024-03-0{i + 1}T00:00:00Z</published><title>{X(p.Title)}</title><summary>{X(p.Abstract)}</summary>{string.Concat(p.Authors.Select(a => $"<author><name>{X(a)}</name></author>"))}<arxiv:primary_category term=\"cs.LG\"/></entry>", "\n") + "\n</feed>\n")),
            "bibtex" => (tag + ".bib", [.. papers.SelectMany((p, i) => Cesu8($"@article{{{tag}{i},\n  title = {{{p.Title}}},\n  abstract = {{{p.Abstract}}},\n  author = {{{string.Join(" and ", p.Authors)}}},\n  year = {{2024}}, month = {{mar}}, day = {{{i + 1}}}\n}}\n\n"))]),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static string ScholarFxJson(Paper p, int i) =>
        $$"""{"title":{{J(p.Title)}},"abstract":{{J(p.Abstract)}},"authors":[{{string.Join(",", p.Authors.Select(J))}}],"categories":["cs.LG"],"published":"2024-03-0{{i + 1}}"}""";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A JSON string with every character outside printable ASCII escaped, so a lone surrogate is written as one.</summary>
    private static string J(string text) =>
        "\"" + string.Concat(text.Select(c => c is >= ' ' and < '\x7F' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";

    /// <summary>XML text with every character outside printable ASCII as a character reference (a lone surrogate's too).</summary>
    private static string X(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and < '\x7F' and not '<' and not '&' and not '>' ? c.ToString() : $"&#x{((int)c).ToString("X", CultureInfo.InvariantCulture)};"));

    /// <summary>UTF-8, except that a lone surrogate is written as the three bytes an unchecking encoder writes (UTF-8 has no form for it).</summary>
    private static IEnumerable<byte> Cesu8(string text) =>
        text.SelectMany(c => char.IsSurrogate(c)
            ? new[] { (byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F)) }
            : Encoding.UTF8.GetBytes(c.ToString()));

    private sealed record Paper(string Title, string Abstract, string[] Authors);
}

using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Http;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>
/// Issue 5: hostile and broken files through the real ingest (Azurite). Every case stores a good paper for a
/// bystander author first, ingests the hostile blob, and checks the receipt, that the good records of the file
/// were kept, and that the bystander's stored profile did not change (same JSON and ETag). Every input is
/// generated here.
/// </summary>
public sealed class HostileInputTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IProfileQueries Profiles => fixture.Services.GetRequiredService<IProfileQueries>();

    private IPaperQueries Papers => fixture.Services.GetRequiredService<IPaperQueries>();

    [Fact]
    public async Task EmptyFile_FailsWithAFileError()
    {
        var bystander = await StoreBystanderAsync();

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("empty") + ".json", ""));

        Assert.Equal((ReceiptStatus.Failed, 0, 0), (receipt.Status, receipt.RecordsRead, receipt.PapersCreated));
        Assert.Equal([new IngestError("file", "the file is empty")], receipt.Errors);
        await bystander.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BinaryFile_FailsWithAFileError(bool withNulBytes)
    {
        var bystander = await StoreBystanderAsync();
        var bytes = new byte[256 * 1024];
        new Random(5).NextBytes(bytes);
        if (!withNulBytes)
        {
            // High bytes only: no NUL, not valid UTF-8, starts like nothing ScholarFx reads.
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(0x80 | bytes[i]);
            }
        }
        else
        {
            bytes[0] = (byte)'{';
            bytes[100] = 0;
        }

        var receipt = await fixture.IngestAsync(await UploadBytesAsync(TestPapers.Unique("binary") + ".json", bytes));

        Assert.Equal((ReceiptStatus.Failed, 0), (receipt.Status, receipt.PapersCreated));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal("file", error.Location);
        Assert.StartsWith(withNulBytes ? "the file is binary" : "unrecognised format", error.Message, StringComparison.Ordinal);
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task InvalidUtf8InOneLine_IsReadWithReplacementCharacters_AndTheOtherLinesKept()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Utf Author");
        var id = "sfx:" + TestPapers.Unique("utf");
        var bad = Encoding.UTF8.GetBytes(TestPapers.Paper("Bad bytes XX here", [author], "2023-01-02", id: id)).ToList();
        var at = bad.IndexOf((byte)'X');
        bad[at] = 0xFF;
        bad[at + 1] = 0xC3; // a lead byte followed by a space: both invalid
        var content = Encoding.UTF8.GetBytes(TestPapers.Paper("Good one " + author, [author], "2023-01-01") + "\n")
            .Concat(bad).Append((byte)'\n')
            .Concat(Encoding.UTF8.GetBytes(TestPapers.Paper("Good three " + author, [author], "2023-01-03") + "\n")).ToArray();

        var receipt = await fixture.IngestAsync(await UploadBytesAsync(TestPapers.Unique("utf8") + ".jsonl", content));

        // Decided: bytes that are not UTF-8 become U+FFFD (the line's other text is intact and visible as such),
        // rather than rejecting a paper for one bad byte in its abstract.
        Assert.Equal((ReceiptStatus.Succeeded, 3, 0), (receipt.Status, receipt.PapersCreated, receipt.RecordsRejected));
        Assert.Equal("Bad bytes \uFFFD\uFFFD here", (await Papers.GetPaperAsync(id, CancellationToken.None))?.Title);
        Assert.Equal(3, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task TruncatedJsonArray_KeepsTheRecordsBeforeTheCut()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Cut Author");
        var whole = "[" + TestPapers.Paper("Before one " + author, [author], "2022-01-01") + ",\n" +
            TestPapers.Paper("Before two " + author, [author], "2022-01-02") + ",\n" +
            TestPapers.Paper("Cut off " + author, [author, bystander.Name], "2022-01-03");
        var content = whole[..(whole.Length - 40)];

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("cut") + ".json", content));

        Assert.Equal((ReceiptStatus.Partial, 2, 1), (receipt.Status, receipt.PapersCreated, receipt.RecordsRejected));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal("record 3", error.Location);
        Assert.Contains("the rest of the array was not read", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task OneBrokenLineAmongTenThousand_IsReportedAndTheOthersKept()
    {
        var bystander = await StoreBystanderAsync();
        using var fast = FastHost();
        var tag = TestPapers.Unique("many");
        var content = new StringBuilder();
        for (var line = 1; line <= 10_000; line++)
        {
            content.Append(line == 5_000
                ? "{\"title\": \"Broken line\", \"authors\": [\"" + bystander.Name + "\"], \"published\": \"2021-01-01\", \"abstract\": \"x\""
                : TestPapers.Paper($"Paper {line} {tag}", [$"Many Author {line % 20} {tag}"], new DateOnly(2020, 1, 1).AddDays(line / 20).ToString("yyyy-MM-dd"), id: $"sfx:{tag}-{line}"));
            content.Append('\n');
        }

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(tag + ".jsonl", content.ToString()), fast.Services);

        Assert.Equal((ReceiptStatus.Partial, 10_000, 9_999, 1), (receipt.Status, receipt.RecordsRead, receipt.PapersCreated, receipt.RecordsRejected));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal("line 5000", error.Location);
        Assert.StartsWith("invalid JSON", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await Papers.GetPaperAsync($"sfx:{tag}-10000", CancellationToken.None));
        Assert.Equal(500, (await ReadProfileAsync(AuthorKey.FromName($"Many Author 7 {tag}"))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("dtd", "<!DOCTYPE feed [ <!ELEMENT feed ANY> ]>", "Plain title")]
    [InlineData("billion-laughs", "<!DOCTYPE feed [ <!ENTITY lol \"lol\"> <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"> <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"> <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"> ]>", "&lol4;")]
    [InlineData("xxe", "<!DOCTYPE feed [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>", "&xxe;")]
    [InlineData("xxe-url", "<!DOCTYPE feed SYSTEM \"http://127.0.0.1:9/evil.dtd\">", "Title")]
    public async Task AtomFeedWithADtd_IsRefusedWithAFileError_AndNothingExpanded(string kind, string doctype, string title)
    {
        var bystander = await StoreBystanderAsync();
        var arxiv = $"2403.{Random.Shared.Next(10000, 99999)}";
        var feed = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            {doctype}
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
              <title>arXiv query results</title>
              <entry>
                <id>http://arxiv.org/abs/{arxiv}v1</id>
                <published>2024-03-01T00:00:00Z</published>
                <title>{title}</title>
                <summary>An abstract.</summary>
                <author><name>{bystander.Name}</name></author>
                <arxiv:primary_category term="cs.LG"/>
              </entry>
            </feed>
            """;

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique(kind) + ".xml", feed));

        Assert.Equal(("arxiv-atom", ReceiptStatus.Failed, 0), (receipt.Format, receipt.Status, receipt.PapersCreated));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal("file", error.Location);
        Assert.Contains("declares a DTD", error.Message, StringComparison.Ordinal);
        Assert.Null(await Papers.GetPaperAsync("arxiv:" + arxiv, CancellationToken.None));
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A50MiBLine_IsReportedAsTooLong_AndTheRestOfTheFileKept()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Long Line Author");
        var name = TestPapers.Unique("long-line") + ".jsonl";
        await fixture.Storage.EnsureCreatedAsync(CancellationToken.None);
        // Written in 1 MiB pieces, so the test itself never holds the line either.
        await using (var output = await fixture.Storage.Abstracts.GetBlockBlobClient(name).OpenWriteAsync(overwrite: true))
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(TestPapers.Paper("Before the long line " + author, [author], "2021-02-01") + "\n"));
            await output.WriteAsync(Encoding.UTF8.GetBytes($"{{\"title\": \"Huge\", \"authors\": [\"{bystander.Name}\"], \"published\": \"2021-02-02\", \"abstract\": \""));
            var piece = Encoding.UTF8.GetBytes(new string('a', 1024 * 1024));
            for (var i = 0; i < 50; i++)
            {
                await output.WriteAsync(piece);
            }

            await output.WriteAsync(Encoding.UTF8.GetBytes("\"}\n" + TestPapers.Paper("After the long line " + author, [author], "2021-02-03") + "\n"));
        }

        var receipt = await fixture.IngestAsync(name);

        Assert.Equal((ReceiptStatus.Partial, 3, 2), (receipt.Status, receipt.RecordsRead, receipt.PapersCreated));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal(("line 2", "line is longer than 8,388,608 characters; skipped"), (error.Location, error.Message));
        Assert.Equal(2, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task MissingTitleOrAbstract_AreRecordErrors_AndTheOtherLinesKept()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Missing Author");
        var content = TestPapers.Lines(
            TestPapers.Paper("Complete one " + author, [author], "2020-03-01"),
            "{\"authors\": [\"" + bystander.Name + "\"], \"categories\": [\"cs.LG\"], \"published\": \"2020-03-02\", \"abstract\": \"No title.\"}",
            TestPapers.Paper("  ", [bystander.Name], "2020-03-03"),
            TestPapers.Paper("No abstract " + author, [bystander.Name], "2020-03-04", @abstract: " \t "),
            TestPapers.Paper("Complete five " + author, [author], "2020-03-05"));

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("missing") + ".jsonl", content));

        Assert.Equal((ReceiptStatus.Partial, 2), (receipt.Status, receipt.PapersCreated));
        Assert.Equal(
            [new IngestError("line 2", "missing title"), new IngestError("line 3", "missing title"), new IngestError("line 4", "missing abstract")],
            receipt.Errors);
        Assert.Equal(2, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task FutureOrUnparseableDates_AreRecordErrors_AndTheOtherLinesKept()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Date Author");
        var content = TestPapers.Lines(
            TestPapers.Paper("Dated one " + author, [author], "2020-04-01"),
            TestPapers.Paper("Future " + author, [bystander.Name], "2999-01-01"),
            TestPapers.Paper("Month thirteen " + author, [bystander.Name], "2020-13-45"),
            TestPapers.Paper("Words " + author, [bystander.Name], "last Tuesday"),
            TestPapers.Paper("Dated five " + author, [author], "2020-04-05"));

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("dates") + ".jsonl", content));

        Assert.Equal((ReceiptStatus.Partial, 2, 3), (receipt.Status, receipt.PapersCreated, receipt.RecordsRejected));
        Assert.Equal(["line 2", "line 3", "line 4"], receipt.Errors.Select(e => e.Location));
        Assert.Equal("published date 2999-01-01 is in the future", receipt.Errors[0].Message);
        Assert.All(receipt.Errors.Skip(1), e => Assert.Contains("\"published\"", e.Message, StringComparison.Ordinal));
        Assert.Equal(2, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task ValuesTooLongForATableKeyOrProperty_AreRecordErrors_AndTheOtherLinesKept()
    {
        // Each of these used to reach Table Storage, whose 400 failed the whole batch (and every retry, to poison).
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Long Value Author");
        var huge = new string('w', 40_000);
        var content = TestPapers.Lines(
            TestPapers.Paper("Fine one " + author, [author], "2020-05-01"),
            TestPapers.Paper(huge, [bystander.Name], "2020-05-02"),
            TestPapers.Paper("Long name " + author, [bystander.Name, "Dr " + huge], "2020-05-03"),
            TestPapers.Paper("Long id " + author, [bystander.Name], "2020-05-04", id: "sfx:" + huge),
            TestPapers.Paper("Long category " + author, [bystander.Name], "2020-05-05", category: huge),
            TestPapers.Paper("Fine six " + author, [author], "2020-05-06"));

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("long") + ".jsonl", content));

        Assert.Equal((ReceiptStatus.Partial, 2, 4), (receipt.Status, receipt.PapersCreated, receipt.RecordsRejected));
        Assert.Equal(["line 2", "line 3", "line 4", "line 5"], receipt.Errors.Select(e => e.Location));
        Assert.Equal("the title is 40,000 characters long; at most 1,000 are accepted", receipt.Errors[0].Message);
        Assert.All(receipt.Errors, e => Assert.True(e.Message.Length < 200));
        Assert.Equal(2, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    /// <summary>
    /// Authors on the crowd paper. 10,000 passed too but took 3 min 49 s: every profile rebuild reads its author's
    /// partition, and Azurite answers a partition query by scanning the whole table (LokiJS <c>where</c>), so on the
    /// emulator the cost grows with the square of the authors; in Table Storage a partition query is indexed.
    /// </summary>
    private const int CrowdSize = 2_000;

    [Fact]
    public async Task ThousandsOfAuthorsOnOnePaper_EachGetsAProfile()
    {
        var bystander = await StoreBystanderAsync();
        using var fast = FastHost();
        var tag = TestPapers.Unique("crowd");
        var authors = Enumerable.Range(1, CrowdSize).Select(i => $"Crowd {tag} Member{i}").ToArray();
        var id = "sfx:" + tag;

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(tag + ".json", TestPapers.Paper("Crowd paper " + tag, authors, "2019-05-05", citations: 4, id: id)), fast.Services);

        Assert.Equal((ReceiptStatus.Succeeded, 1), (receipt.Status, receipt.PapersCreated));
        Assert.Equal(CrowdSize, (await Papers.GetPaperAsync(id, CancellationToken.None))?.Authors.Count);
        foreach (var i in new[] { 1, CrowdSize / 2, CrowdSize })
        {
            var profile = await ReadProfileAsync(AuthorKey.FromName(authors[i - 1]));
            Assert.Equal((1, 4), (profile.GetProperty("paperCount").GetInt32(), profile.GetProperty("citationCount").GetInt32()));
        }

        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task AbstractOverTheTablePropertyLimit_IsKeptInABlob_AndReadWhole()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Huge Abstract Author");
        var id = "sfx:" + TestPapers.Unique("huge");
        var text = string.Concat(Enumerable.Range(0, 4_000).Select(i => $"Sentence {i} of a very long abstract. "));
        var content = TestPapers.Lines(
            TestPapers.Paper("Huge abstract " + author, [author], "2018-01-01", @abstract: text, id: id),
            TestPapers.Paper("Small abstract " + author, [author], "2018-01-02"));

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("huge") + ".jsonl", content));

        Assert.Equal((ReceiptStatus.Succeeded, 2), (receipt.Status, receipt.PapersCreated));
        Assert.True(text.Length > 2 * 32 * 1024);
        Assert.Equal(text.Trim(), (await Papers.GetPaperAsync(id, CancellationToken.None))?.Abstract);
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task DuplicateIdsInOneFile_AreOneMergedPaper()
    {
        var bystander = await StoreBystanderAsync();
        var author = TestPapers.Unique("Duplicate Author");
        var id = "sfx:" + TestPapers.Unique("dup");
        var content = TestPapers.Lines(
            TestPapers.Paper("Duplicated " + author, [author], "2017-01-02", citations: 1, id: id),
            TestPapers.Paper("Duplicated " + author, [author], "2017-01-01", citations: 5, id: id),
            TestPapers.Paper("Duplicated " + author, [author], "2017-01-03", citations: 3, id: id));

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("dup") + ".jsonl", content));

        Assert.Equal((ReceiptStatus.Succeeded, 1, 2), (receipt.Status, receipt.PapersCreated, receipt.PapersMerged));
        Assert.Equal("2017-01-01", (await Papers.GetPaperAsync(id, CancellationToken.None))?.Published);
        Assert.Equal(1, (await ReadProfileAsync(AuthorKey.FromName(author))).GetProperty("paperCount").GetInt32());
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task ControlCharactersInAuthorNames_AreCleaned_AndNeverReachALogLine()
    {
        var bystander = await StoreBystanderAsync();
        var logs = new CapturedLogs();
        using var logged = fixture.BuildHost(configure: b => b.Logging.AddProvider(logs));
        var tag = TestPapers.Unique("Forger");
        var forged = $"Eve {tag}\r\ninfo: Ingested 999 papers from admin.json\u0007\u001b[31m Mallory";
        var id = "sfx:" + TestPapers.Unique("forge");
        var name = TestPapers.Unique("forge") + ".json";

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(name, TestPapers.Paper("Forged " + tag, [forged], "2016-01-01", id: id)), logged.Services);

        Assert.Equal(ReceiptStatus.Succeeded, receipt.Status);
        var stored = Assert.Single((await Papers.GetPaperAsync(id, CancellationToken.None))!.Authors);
        Assert.Equal($"Eve {tag} info: Ingested 999 papers from admin.json [31m Mallory", stored.Name);
        Assert.Matches("^[a-z0-9-]+$", stored.Id);
        Assert.Equal(stored.Name, (await ReadProfileAsync(stored.Id)).GetProperty("name").GetString());
        // Values from files are never part of a log line's template, and names are not logged at all.
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("999 papers", StringComparison.Ordinal));
        await bystander.AssertUnchangedAsync();
    }

    [Fact]
    public async Task AuthorNameThatLooksLikeAFilter_IsALiteralName_AndSearchReturnsOnlyIt()
    {
        var bystander = await StoreBystanderAsync();
        var tag = TestPapers.Unique("inj");
        var injection = $"Zed{tag} x' or PartitionKey ne '";
        var id = "sfx:" + tag;

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(tag + ".json", TestPapers.Paper("Injected " + tag, [injection], "2015-01-01", id: id)));

        Assert.Equal(ReceiptStatus.Succeeded, receipt.Status);
        var authorId = AuthorKey.FromName(injection);
        Assert.Equal($"zed{tag.ToLowerInvariant()}-x-or-partitionkey-ne", authorId);
        Assert.Equal(injection, (await ReadProfileAsync(authorId)).GetProperty("name").GetString());
        var found = await Profiles.FindAsync(injection, null, 100, CancellationToken.None);
        Assert.Equal([authorId], found.Value!.Items.Select(h => h.Id));
        foreach (var query in new[] { "' or PartitionKey ne '", "x' or '1' eq '1", "') or (RowKey ne '" })
        {
            var hits = await Profiles.FindAsync(query, null, 100, CancellationToken.None);
            Assert.All(hits.Value?.Items ?? [], h => Assert.Equal(authorId, h.Id));
            Assert.DoesNotContain(hits.Value?.Items ?? [], h => h.Id == bystander.Id);
        }

        await bystander.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("c#d")]
    [InlineData("e?f=g&h")]
    [InlineData("x/../y%2Fz?#")]
    public async Task IdsWithSlashHashOrQuestionMark_AreStoredAndReadable(string awkward)
    {
        var bystander = await StoreBystanderAsync();
        var id = $"sfx:{TestPapers.Unique("id")}-{awkward}";

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("ids") + ".json", TestPapers.Paper("Awkward id " + awkward, [TestPapers.Unique("Id Author")], "2014-01-01", id: id)));

        Assert.Equal((ReceiptStatus.Succeeded, 1), (receipt.Status, receipt.PapersCreated));
        Assert.Equal(id, (await Papers.GetPaperAsync(id, CancellationToken.None))?.Id);
        // The route handler of GET /api/papers/{*paperId}, given the id percent-encoded as a client sends it.
        var functions = new PaperFunctions(Papers, fixture.Services.GetRequiredService<IOptions<ApiOptions>>());
        var result = await functions.GetPaper(new DefaultHttpContext().Request, Uri.EscapeDataString(id), CancellationToken.None);
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(id, JsonDocument.Parse(content.Content!).RootElement.GetProperty("id").GetString());
        await bystander.AssertUnchangedAsync();
    }

    /// <summary>
    /// A host with the TEST hashing embedder for the cases that store thousands of papers or authors, and large
    /// batches: on Azurite each batch's fixed cost (profile rebuilds, queries that scan a table) dominates.
    /// </summary>
    private IHost FastHost() =>
        fixture.BuildHost(new Dictionary<string, string?> { ["Ingest:BatchSize"] = "5000", ["Ingest:WriteParallelism"] = "16" }, b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());

    private async Task<string> UploadBytesAsync(string name, byte[] content)
    {
        await fixture.Storage.EnsureCreatedAsync(CancellationToken.None);
        await fixture.Storage.Abstracts.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return name;
    }

    /// <summary>Stores one good paper for a new author and remembers the author's stored profile.</summary>
    private async Task<Bystander> StoreBystanderAsync()
    {
        var name = TestPapers.Unique("Bystander Author");
        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("bystander") + ".json",
            TestPapers.Paper("Bystander paper " + name, [name], "2020-06-01", citations: 2)));
        Assert.Equal(ReceiptStatus.Succeeded, receipt.Status);
        var id = AuthorKey.FromName(name);
        var before = await Profiles.GetProfileAsync(id, CancellationToken.None);
        Assert.NotNull(before);
        return new Bystander(name, id, before, Profiles);
    }

    private async Task<JsonElement> ReadProfileAsync(string authorId)
    {
        var profile = await Profiles.GetProfileAsync(authorId, CancellationToken.None);
        Assert.NotNull(profile);
        return JsonDocument.Parse(profile.Json).RootElement;
    }

    private sealed record Bystander(string Name, string Id, ProfileDocument Before, IProfileQueries Profiles)
    {
        public async Task AssertUnchangedAsync()
        {
            var after = await Profiles.GetProfileAsync(Id, CancellationToken.None);
            Assert.Equal(Before, after);
            var profile = JsonDocument.Parse(after!.Json).RootElement;
            Assert.Equal((1, 2, 1), (profile.GetProperty("paperCount").GetInt32(), profile.GetProperty("citationCount").GetInt32(), profile.GetProperty("hIndex").GetInt32()));
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

public sealed class IngestIntegrationTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private IProfileQueries Profiles => fixture.Services.GetRequiredService<IProfileQueries>();

    [Fact]
    public async Task SameFileUploadedTwice_CountsEachPaperOnce()
    {
        var author = TestPapers.Unique("Twice Author");
        var content = TestPapers.Lines(
            TestPapers.Paper("Alpha " + author, [author, "Other Person"], "2024-01-01", citations: 5),
            TestPapers.Paper("Beta " + author, [author], "2024-02-01", citations: 3),
            TestPapers.Paper("Gamma " + author, [author], "2024-03-01", citations: 1));
        var first = await fixture.UploadAsync(TestPapers.Unique("twice-a") + ".jsonl", content);
        var second = await fixture.UploadAsync(TestPapers.Unique("twice-b") + ".jsonl", content);

        var r1 = await fixture.IngestAsync(first);
        var r2 = await fixture.IngestAsync(second);
        var again = await fixture.IngestAsync(first);

        Assert.Equal((3, 0), (r1.PapersCreated, r1.RecordsRejected));
        Assert.Equal((0, 3), (r2.PapersCreated, r2.PapersUnchanged));
        Assert.Equal(r1.CompletedAt, again.CompletedAt);
        var profile = await ReadProfileAsync(AuthorKey.FromName(author));
        Assert.Equal(3, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(9, profile.GetProperty("citationCount").GetInt32());
        Assert.Equal(2, profile.GetProperty("hIndex").GetInt32());
    }

    [Fact]
    public async Task TwentyFilesForOneAuthorAtOnce_GiveExactFigures()
    {
        var author = TestPapers.Unique("Concurrent Author");
        var names = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            names.Add(await fixture.UploadAsync(
                TestPapers.Unique("concurrent") + ".json",
                TestPapers.Paper($"Paper {i} of {author}", [author, $"Coauthor {i % 3}"], $"2025-01-{i + 1:D2}", citations: i)));
        }

        var receipts = await Task.WhenAll(names.Select(n => Task.Run(() => fixture.IngestAsync(n))));

        Assert.All(receipts, r => Assert.Equal(ReceiptStatus.Succeeded, r.Status));
        var profile = await ReadProfileAsync(AuthorKey.FromName(author));
        Assert.Equal(20, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(190, profile.GetProperty("citationCount").GetInt32());
        Assert.Equal(10, profile.GetProperty("hIndex").GetInt32());
        Assert.Equal(10, profile.GetProperty("i10Index").GetInt32());
        Assert.Equal("2025-01-20", profile.GetProperty("lastPublished").GetString());
    }

    [Fact]
    public async Task BrokenRecordAmongGood_KeepsGoodPapersAndReceiptNamesTheLine()
    {
        var author = TestPapers.Unique("Broken File Author");
        var content = TestPapers.Lines(
            TestPapers.Paper("One " + author, [author], "2023-05-01"),
            TestPapers.Paper("Two " + author, [author], "2023-05-02"),
            "{\"title\": \"Broken\", \"authors\": [",
            TestPapers.Paper("Four " + author, [author], "2023-05-04"),
            TestPapers.Paper("Five " + author, [], "2023-05-05"));
        var name = await fixture.UploadAsync(TestPapers.Unique("broken") + ".jsonl", content);

        var receipt = await fixture.IngestAsync(name);

        Assert.Equal(ReceiptStatus.Partial, receipt.Status);
        Assert.Equal(3, receipt.PapersCreated);
        Assert.Collection(
            receipt.Errors,
            e => Assert.Equal("line 3", e.Location),
            e => Assert.Equal(("line 5", "missing authors"), (e.Location, e.Message)));
        var profile = await ReadProfileAsync(AuthorKey.FromName(author));
        Assert.Equal(3, profile.GetProperty("paperCount").GetInt32());
    }

    [Fact]
    public async Task InputBlob_IsNeverDeletedOrChanged()
    {
        var content = TestPapers.Lines(TestPapers.Paper("Kept input", [TestPapers.Unique("Keeper")], "2022-02-02"));
        var name = await fixture.UploadAsync(TestPapers.Unique("kept") + ".jsonl", content);
        var before = await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync();

        await fixture.IngestAsync(name);

        var after = await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync();
        Assert.Equal(before.Value.ETag, after.Value.ETag);
        var body = await fixture.Storage.Abstracts.GetBlobClient(name).DownloadContentAsync();
        Assert.Equal(content, body.Value.Content.ToString());
    }

    [Fact]
    public async Task SamePaperFromTwoSources_IsOnePaperWithFilledFields()
    {
        var author = TestPapers.Unique("Merge Author");
        var arxiv = $"2401.{Random.Shared.Next(10000, 99999)}";
        var doi = $"10.1234/{TestPapers.Unique("m")}";
        var feed = await fixture.UploadAsync(TestPapers.Unique("feed") + ".json", TestPapers.Paper("Merged " + author, [author], "2024-01-10", arxivId: arxiv + "v1"));
        await fixture.IngestAsync(feed);
        // A second source (here the same format under a given sfx id) knows the DOI and the citations.
        var other = "{\"id\":\"s2:" + Guid.NewGuid().ToString("N") + "\",\"title\":\"Merged " + author + "\",\"authors\":[\"" + author + "\"],\"categories\":[\"cs.LG\"],\"published\":\"2024-01-09\",\"abstract\":\"Other text.\",\"citations\":7,\"doi\":\"" + doi + "\",\"arxivId\":\"" + arxiv + "v3\"}";
        var second = await fixture.UploadAsync(TestPapers.Unique("s2") + ".json", other);

        await fixture.IngestAsync(second);

        var papers = fixture.Services.GetRequiredService<IPaperQueries>();
        var byDoi = await papers.GetPaperAsync("doi:" + doi.ToUpperInvariant(), CancellationToken.None);
        Assert.NotNull(byDoi);
        Assert.Equal("arxiv:" + arxiv, byDoi.Id);
        Assert.Equal(7, byDoi.Citations);
        Assert.Equal("2024-01-09", byDoi.Published);
        Assert.Contains("doi:" + doi.ToLowerInvariant(), byDoi.Aliases);
        var profile = await ReadProfileAsync(AuthorKey.FromName(author));
        Assert.Equal(1, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(7, profile.GetProperty("citationCount").GetInt32());
    }

    [Fact]
    public async Task SamplePaperFromTheAtomFeedThenSemanticScholar_IsOnePaperWithTheLaterSourcesCitations()
    {
        var feed = await fixture.UploadAsync(TestPapers.Unique("atom") + ".xml", await ReadSampleAsync("arxiv-atom-feed.xml"));
        var s2 = await fixture.UploadAsync(TestPapers.Unique("s2") + ".json", await ReadSampleAsync("semantic-scholar-papers.json"));

        var fromFeed = await fixture.IngestAsync(feed);
        var fromS2 = await fixture.IngestAsync(s2);

        Assert.Equal(("arxiv-atom", ReceiptStatus.Succeeded, 4), (fromFeed.Format, fromFeed.Status, fromFeed.PapersCreated));
        // Two of its four papers are the feed's: merged into them, not created again.
        Assert.Equal(("semantic-scholar", ReceiptStatus.Succeeded, 2, 2), (fromS2.Format, fromS2.Status, fromS2.PapersCreated, fromS2.PapersMerged));
        var papers = fixture.Services.GetRequiredService<IPaperQueries>();
        var paper = await papers.GetPaperAsync("s2:5f2c9e0d41b7a3e8c6d2f1a09b8e7c6d5a4b3c21", CancellationToken.None);
        Assert.NotNull(paper);
        Assert.Equal("arxiv:2409.01234", paper.Id);
        Assert.Equal(17, paper.Citations);
        Assert.Equal(["arxiv-atom", "semantic-scholar"], paper.Sources);
        Assert.Equal(["cs.LG", "cs.CL"], paper.Categories);
        Assert.Equal("2024-09-02", paper.Published);
        Assert.Contains("doi:10.5555/sfx.2024.0917", paper.Aliases);
        var profile = await ReadProfileAsync("ingrid-halvorsen");
        Assert.Equal(2, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(17 + 9, profile.GetProperty("citationCount").GetInt32());
    }

    private Task<string> ReadSampleAsync(string fileName) =>
        File.ReadAllTextAsync(Path.Combine(fixture.RepositoryRoot, "samples", fileName));

    [Fact]
    public async Task Correction_RemovingAnAuthor_TakesThePaperOffTheirProfile()
    {
        var stays = TestPapers.Unique("Stays Author");
        var leaves = TestPapers.Unique("Leaves Author");
        var id = "sfx:" + TestPapers.Unique("correction");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("c1") + ".json", TestPapers.Paper("Corrected paper", [stays, leaves], "2021-06-01", id: id)));
        Assert.NotNull(await Profiles.GetProfileAsync(AuthorKey.FromName(leaves), CancellationToken.None));

        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("c2") + ".json", TestPapers.Paper("Corrected paper", [stays], "2021-06-01", id: id)));

        Assert.Null(await Profiles.GetProfileAsync(AuthorKey.FromName(leaves), CancellationToken.None));
        var profile = await ReadProfileAsync(AuthorKey.FromName(stays));
        Assert.Equal(1, profile.GetProperty("paperCount").GetInt32());
    }

    [Fact]
    public async Task IdsWithForbiddenKeyCharacters_AreStoredAndRead()
    {
        var id = "sfx:" + TestPapers.Unique("a/b#c?d\\e%f");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("keys") + ".json", TestPapers.Paper("Awkward id", [TestPapers.Unique("Key Author")], "2020-01-01", id: id)));

        var paper = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync(id, CancellationToken.None);

        Assert.Equal(id, paper?.Id);
    }

    [Fact]
    public async Task AbstractOverTheTablePropertyLimit_IsKeptWhole()
    {
        var longAbstract = string.Concat(Enumerable.Repeat("A very long abstract sentence with numbers 12345. ", 1500));
        var id = "sfx:" + TestPapers.Unique("long");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("long") + ".json", TestPapers.Paper("Long abstract", [TestPapers.Unique("Long Author")], "2020-01-01", @abstract: longAbstract, id: id)));

        var paper = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync(id, CancellationToken.None);

        Assert.True(longAbstract.Length > 64_000);
        Assert.Equal(longAbstract.Trim(), paper?.Abstract);
    }

    [Fact]
    public async Task BlobVersionThatKeepsFailing_IsRecordedAsPoison()
    {
        var name = await fixture.UploadAsync(TestPapers.Unique("poison") + ".json", TestPapers.Paper("Poison", [TestPapers.Unique("Poison Author")], "2020-01-01"));
        var receipts = fixture.Services.GetRequiredService<ReceiptStore>();
        var etag = (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();
        await receipts.WriteAsync(new Receipt { Blob = name, BlobETag = etag, Status = ReceiptStatus.Processing, Attempts = 5, LastFailure = "simulated" }, CancellationToken.None);

        var receipt = await fixture.IngestAsync(name);

        Assert.Equal(ReceiptStatus.Poison, receipt.Status);
        Assert.Equal(0, receipt.PapersCreated);
    }

    private async Task<JsonElement> ReadProfileAsync(string authorId)
    {
        var profile = await Profiles.GetProfileAsync(authorId, CancellationToken.None);
        Assert.NotNull(profile);
        return JsonDocument.Parse(profile.Json).RootElement;
    }
}

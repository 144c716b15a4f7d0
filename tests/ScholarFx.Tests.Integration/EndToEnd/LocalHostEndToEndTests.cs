using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.EndToEnd;

/// <summary>The LocalHost hosted in-process on a free port over a real Azurite: a blob in, a profile out over HTTP.</summary>
public sealed class LocalHostEndToEndTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private RunningLocalHost? host;

    private HttpClient Http => host!.Http;

    public async Task InitializeAsync() => host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>
    {
        ["LocalHost:BlobPollInterval"] = "00:00:00.200",
        ["Api:MaxUploadBytes"] = "1048576",
    });

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task UploadedBlob_BecomesAProfileServedOverHttp_With304ForItsETag()
    {
        var author = TestPapers.Unique("Endtoend Author");
        var arxiv = $"2502.{Random.Shared.Next(10000, 99999)}";
        await fixture.UploadAsync(TestPapers.Unique("e2e") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("First " + author, [author, "Chang Liu"], "2025-02-01", citations: 3, arxivId: arxiv),
            TestPapers.Paper("Second " + author, [author], "2025-03-01", citations: 1, category: "cs.CL")));
        var id = ScholarFx.Core.Papers.AuthorKey.FromName(author);

        var response = await WaitForAsync($"/api/profiles/{id}");
        var profile = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(2, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(4, profile.GetProperty("citationCount").GetInt32());
        Assert.Equal(1, profile.GetProperty("hIndex").GetInt32());
        Assert.Equal("cs.CL", profile.GetProperty("primaryCategory").GetString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/profiles/{id}");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        var notModified = await Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var paper = await Http.GetAsync($"/api/papers/{Uri.EscapeDataString("arxiv:" + arxiv)}");
        Assert.Equal(HttpStatusCode.OK, paper.StatusCode);
        var body = JsonDocument.Parse(await paper.Content.ReadAsStringAsync()).RootElement;
        // Two papers in an empty corpus: too few earlier papers for a novelty score, and the response says so.
        Assert.StartsWith("fewer than 10 earlier papers", body.GetProperty("noveltyExplanation").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("novelty").ValueKind);
        // With no Azure OpenAI configured, the local assessor judges every paper, with a summary and a rationale.
        var assessment = body.GetProperty("aiAssessment");
        Assert.StartsWith("scholarfx-local/all-MiniLM-L6-v2", assessment.GetProperty("model").GetString(), StringComparison.Ordinal);
        Assert.Equal($"We study first {author.ToLowerInvariant()} and report what we find.", assessment.GetProperty("summary").GetString());
        Assert.StartsWith("Local rubric (not an LLM).", assessment.GetProperty("rationale").GetString(), StringComparison.Ordinal);
        Assert.InRange(assessment.GetProperty("rubric").GetProperty("evidence").GetDouble(), 0, 100);
    }

    [Fact]
    public async Task TheExport_StreamsEveryProfileAsJsonLines_AndAnOrcidAuthorsNameRedirects()
    {
        var author = TestPapers.Unique("Exported Author");
        var orcid = "0000-0002-1825-0097";
        var paper = System.Text.Json.JsonSerializer.Serialize(new
        {
            title = "Exported paper " + author,
            authors = new object[] { new { name = author, orcid }, "Export Colleague" },
            categories = new[] { "cs.LG" },
            published = "2024-04-04",
            @abstract = "We study exports.",
        });
        await fixture.UploadAsync(TestPapers.Unique("export") + ".json", paper);
        await WaitForAsync($"/api/profiles/{orcid}", b => b.Contains(author, StringComparison.Ordinal));

        var response = await Http.GetAsync("/api/export/profiles.jsonl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("profiles.jsonl", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToList();
        Assert.Contains(orcid, ids);
        Assert.Contains("export-colleague", ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        // The author's name is not a profile of its own: it answers 301 to the ORCID profile.
        using var noFollow = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Http.BaseAddress };
        var moved = await noFollow.GetAsync($"/api/profiles/{ScholarFx.Core.Papers.AuthorKey.FromName(author)}");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal($"/api/profiles/{orcid}", moved.Headers.Location?.ToString());
    }

    [Fact]
    public async Task PostedFile_Is202WithItsReceipt_AndBecomesAProfile()
    {
        var author = TestPapers.Unique("Posted Author");
        using var body = new StringContent(TestPapers.Lines(TestPapers.Paper("Posted " + author, [author], "2024-07-07", citations: 2)));

        var response = await Http.PostAsync("/api/abstracts?name=my%20papers.jsonl", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/api/receipts/uploads%2F", location, StringComparison.Ordinal);
        Assert.EndsWith("-my-papers.jsonl", location, StringComparison.Ordinal);
        var receipt = await WaitForAsync(location, b => b.Contains("\"succeeded\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/profiles/{ScholarFx.Core.Papers.AuthorKey.FromName(author)}")).StatusCode);
    }

    [Fact]
    public async Task PostedFileOverTheLimit_Is413ProblemJson_AndStoresNothing()
    {
        var before = await CountUploadsAsync();
        using var body = new ByteArrayContent(new byte[2 * 1024 * 1024]);

        var response = await Http.PostAsync("/api/abstracts", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountUploadsAsync());
    }

    [Fact]
    public async Task UnknownAuthor_Is404ProblemJson()
    {
        var response = await Http.GetAsync("/api/profiles/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task FileWithABrokenRecord_HasAReceiptListingTheLine()
    {
        var author = TestPapers.Unique("Receipt Author");
        var name = await fixture.UploadAsync("curators/" + TestPapers.Unique("receipt") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("Good " + author, [author], "2024-04-04"),
            "{not json",
            TestPapers.Paper("Also good " + author, [author], "2024-04-05")));

        var response = await WaitForAsync($"/api/receipts/{Uri.EscapeDataString(name)}", body => body.Contains("\"partial\"", StringComparison.Ordinal));
        var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("partial", receipt.GetProperty("status").GetString());
        var latest = receipt.GetProperty("latest");
        Assert.Equal(2, latest.GetProperty("papersCreated").GetInt32());
        Assert.Equal("line 2", latest.GetProperty("errors")[0].GetProperty("location").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/profiles/{ScholarFx.Core.Papers.AuthorKey.FromName(author)}")).StatusCode);
    }

    [Fact]
    public async Task PaperIdWithSlashHashAndQuestionMark_IsServedOverHttp()
    {
        var id = "sfx:" + TestPapers.Unique("route") + "/a#b?c=d";
        await fixture.UploadAsync(TestPapers.Unique("route") + ".json", TestPapers.Paper("Route id", [TestPapers.Unique("Route Author")], "2024-05-05", id: id));

        var response = await WaitForAsync($"/api/papers/{Uri.EscapeDataString(id)}");

        Assert.Equal(id, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Is404ProblemJson()
    {
        var response = await Http.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_ReportsStorageAndCorpus()
    {
        var response = await Http.GetAsync("/api/health");

        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(health.GetProperty("storageReachable").GetBoolean());
    }

    [Fact]
    public async Task CrossOriginGet_IsAllowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Add("Origin", "https://reader.example");

        var response = await Http.SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private async Task<int> CountUploadsAsync()
    {
        await fixture.Storage.EnsureCreatedAsync(CancellationToken.None);
        var count = 0;
        await foreach (var _ in fixture.Storage.Abstracts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "uploads/", CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    private async Task<HttpResponseMessage> WaitForAsync(string path, Func<string, bool>? ready = null)
    {
        // Generous: the whole suite shares two cores, and a file's ingest waits its turn.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await Http.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK && (ready is null || ready(await response.Content.ReadAsStringAsync())))
            {
                return response;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path} did not become ready within 60 s; last status {(int)response.StatusCode}");
            }

            await Task.Delay(100);
        }
    }
}

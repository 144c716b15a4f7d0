using System.Net;
using System.Text.Json;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Security;

/// <summary>
/// Every anonymous route of the LocalHost against a table of hostile parameters (noncharacters, invalid UTF-8,
/// percent-encoded slashes and dots, huge and negative numbers, forged and overlong cursors, empty and 10 KiB text):
/// none answers 5xx; and every answer carries its defences without echoing a key or a foreign Host.
/// </summary>
public sealed class HostileRequestTests(HostileRequestTests.Host fixture) : IClassFixture<HostileRequestTests.Host>
{
    private static readonly string[] HostileValues =
    [
        "%EF%BF%BE", "%EF%BF%BF", "%ED%A0%80", "%ED%A0%80x", "%F4%8F%BF%BF", "%00", "%C0%AF", "%FF",
        "..%2F..%2Fsettle", "%2E%2E%2F%2E%2E%2Fx", "..", "%2F", "%5C..%5C", "-5", "0", "99999999999", "-99999999999", "1e9",
        "AAAA", "eyJ0IjoiJ30", "not-a-cursor%3D%3D", new string('A', 12_000), "", "%20", new string('x', 10_240),
        "%3Cscript%3E", "%25", "javascript:alert(1)", "a%0D%0ASet-Cookie:x=1", "x'%20or%20PartitionKey%20ne%20'",
    ];

    private HttpClient Http => fixture.Running!.Http;

    /// <summary>One LocalHost with one small file ingested, shared by the class's tests (a host per test is slow on a busy machine).</summary>
    public sealed class Host : IAsyncLifetime
    {
        public AzuriteFixture Azurite { get; } = new();

        public RunningLocalHost? Running { get; private set; }

        public string Author { get; private set; } = "";

        public string PaperId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Azurite.InitializeAsync();
            Running = await RunningLocalHost.StartAsync(Azurite, new Dictionary<string, string?>
            {
                ["LocalHost:BlobPollInterval"] = "00:00:00.200",
                ["Api:PublicBaseUrl"] = "https://scholarfx.example.org",
            });
            var name = TestPapers.Unique("Hostile Author");
            var arxiv = $"2503.{Random.Shared.Next(10000, 99999)}";
            await Azurite.UploadAsync(TestPapers.Unique("hostile") + ".jsonl", TestPapers.Lines(
                TestPapers.Paper("Attacks on " + name, [name, "Chang Liu"], "2025-03-01", citations: 2, arxivId: arxiv),
                TestPapers.Paper("Defences of " + name, [name], "2025-04-01", citations: 1)));
            Author = ScholarFx.Core.Papers.AuthorKey.FromName(name);
            PaperId = Uri.EscapeDataString("arxiv:" + arxiv);
            // Generous: the whole suite shares two cores.
            var deadline = DateTime.UtcNow.AddSeconds(180);
            while ((await Running.Http.GetAsync($"/api/profiles/{Author}")).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, "the test author's profile did not appear within 180 s");
                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync()
        {
            if (Running is not null)
            {
                await Running.DisposeAsync();
            }

            await Azurite.DisposeAsync();
        }
    }

    private IEnumerable<string> AnonymousRoutes(string v) =>
    [
        $"/api/profiles/{v}", $"/api/profiles/{fixture.Author}/papers?cursor={v}", $"/api/profiles/{fixture.Author}/papers?top={v}",
        $"/api/profiles/{v}/papers?cursor={v}&top={v}",
        $"/api/profiles?q={v}", $"/api/profiles?q={v}&cursor={v}&top={v}", $"/api/profiles?q=hostile&cursor={v}",
        $"/api/profiles?sort={v}", $"/api/profiles?category={v}&cursor={v}", $"/api/profiles?sort=citations&cursor={v}&top={v}",
        $"/api/profiles?topic={v}", $"/api/profiles?topic=attacks&top={v}",
        $"/api/papers/{v}", $"/api/papers/{fixture.PaperId}/similar?top={v}&before={v}&after={v}", $"/api/papers/{v}/similar",
        $"/api/papers?q={v}", $"/api/papers?q=attacks&category={v}&from={v}&to={v}&top={v}",
        $"/api/profiles/{v}/badge.svg", $"/api/profiles/{v}/feed.atom", "/api/health?x=" + v,
        $"/profiles/{v}", $"/profiles/{fixture.Author}?cursor={v}", $"/papers/{v}", $"/profiles?q={v}", $"/profiles?q=hostile&cursor={v}",
        $"/profiles?topic={v}", $"/rankings?category={v}&sort={v}", $"/rankings?sort=citations&cursor={v}", $"/?q={v}",
    ];

    [Fact]
    public async Task NoAnonymousRoute_Answers5xx_ForAnyHostileParameter()
    {
        var failures = new List<string>();
        foreach (var value in HostileValues)
        {
            foreach (var route in AnonymousRoutes(value))
            {
                using var response = await Http.GetAsync(new Uri(route, UriKind.Relative));
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{(int)response.StatusCode} {route[..Math.Min(route.Length, 120)]}: {(await response.Content.ReadAsStringAsync())[..Math.Min(200, (int)(response.Content.Headers.ContentLength ?? 0))]}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("{ \"title\": \"Lone \\ud800 surrogate\", \"abstract\": \"An abstract about attacks.\" }")]
    [InlineData("{ \"title\": \"A noncharacter \uFFFE here\", \"abstract\": \"An abstract \uFDD0 about attacks.\", \"authors\": [\"\uFFFF\"] }")]
    [InlineData("{ \"title\": \"\\udc00\", \"abstract\": \"\\ud800\\ud800\", \"categories\": [\"\\udfff\"] }")]
    public async Task ADraftWithTextThatCannotBeNormalised_IsCheckedOrRefused_Never5xx(string body)
    {
        using var response = await Http.PostAsync("/api/novelty", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.True((int)response.StatusCode is 200 or 400, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task AClientPastItsQueriesByMeaning_Gets429WithRetryAfter_AndTheCacheStillAnswersIt()
    {
        await using var limited = await RunningLocalHost.StartAsync(fixture.Azurite, new Dictionary<string, string?> { ["Api:AnonymousQueriesPerMinute"] = "2" });

        var first = await limited.Http.GetAsync("/api/papers?q=attacks+and+defences");
        var second = await limited.Http.GetAsync("/api/papers?q=rate+limits");
        var third = await limited.Http.GetAsync("/api/papers?q=something+else+entirely");
        var cached = await limited.Http.GetAsync("/api/papers?q=Attacks++and+Defences");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await cached.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AFloodOfDistinctQueriesByMeaning_IsRefusedPastTheBudget_WithRetryAfter_WhileProfileReadsStillAnswer()
    {
        await using var limited = await RunningLocalHost.StartAsync(fixture.Azurite, new Dictionary<string, string?> { ["Api:AnonymousQueriesPerMinute"] = "5" });
        // The model and the corpus view loaded first, so what refuses the queries below is the budget, not a cold start.
        Assert.Equal(HttpStatusCode.OK, (await AskByMeaningAsync(limited.Http, -1, "192.0.2.1")).Status);

        // At once: 120 clients (by the address the front end adds) asking a distinct question each, by papers and by
        // topic, and profile reads among them. No time is asserted, only the answers.
        var flood = Enumerable.Range(0, 120).Select(i => AskByMeaningAsync(limited.Http, 1000 + i, $"198.51.100.{i}")).ToList();
        var reads = Enumerable.Range(0, 40).Select(_ => limited.Http.GetAsync($"/api/profiles/{fixture.Author}")).ToList();
        var profiles = await Task.WhenAll(reads);
        var answers = (await Task.WhenAll(flood)).ToList();
        // Then four clients asking 30 distinct questions each, one after the other: each has five a minute.
        foreach (var client in Enumerable.Range(0, 4))
        {
            for (var i = 0; i < 30; i++)
            {
                answers.Add(await AskByMeaningAsync(limited.Http, (client * 100) + i, $"203.0.113.{client}"));
            }
        }

        Assert.All(profiles, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{a.Status} for {a.Client}"));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.TooManyRequests), a => Assert.True(a.RetryAfter >= TimeSpan.FromSeconds(1) && a.Problem));
        Assert.All(answers.Where(a => a.Client.StartsWith("203.0.113.", StringComparison.Ordinal)).GroupBy(a => a.Client),
            g => Assert.True(g.Count(a => a.Status == HttpStatusCode.TooManyRequests) >= 20, $"{g.Key}: {g.Count(a => a.Status == HttpStatusCode.OK)} of 30 answered"));
    }

    private static async Task<Asked> AskByMeaningAsync(HttpClient http, int i, string client)
    {
        var words = $"query {i} about {(i % 3 == 0 ? "graph" : "vision")} models number {i * 7919 % 1000}";
        using var request = new HttpRequestMessage(HttpMethod.Get, i % 2 == 0 ? $"/api/papers?q={Uri.EscapeDataString(words)}" : $"/api/profiles?topic={Uri.EscapeDataString(words)}");
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return new Asked(client, response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType == "application/problem+json");
    }

    private sealed record Asked(string Client, HttpStatusCode Status, TimeSpan? RetryAfter, bool Problem);

    [Theory]
    [InlineData("..%2F..%2Fsettle-poison%2Fx")]
    [InlineData("%2E%2E%2Fscholarfx-corpus%2Fsnapshot")]
    [InlineData("uploads%2F..%2F..%2Fx%3A")]
    [InlineData("%2Fabsolute")]
    public async Task AReceiptId_ThatCouldLeaveTheAbstractsContainer_Is400(string id)
    {
        using var response = await Http.GetAsync($"/api/receipts/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AProblemAnswer_NeverRepeatsTheFunctionKey()
    {
        using var response = await Http.GetAsync("/api/profiles/nobody-at-all-here?code=s3cr3t-function-key");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cr3t-function-key", body, StringComparison.Ordinal);
        Assert.Equal("/api/profiles/nobody-at-all-here", JsonDocument.Parse(body).RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task EveryRoute_SendsItsDefences_AndNeverAForeignHost()
    {
        string[] routes =
        [
            $"/api/profiles/{fixture.Author}", $"/api/profiles/{fixture.Author}/papers", "/api/profiles?q=hostile", $"/api/papers/{fixture.PaperId}",
            "/api/health", "/api/profiles/nobody-at-all-here", $"/profiles/{fixture.Author}", $"/papers/{fixture.PaperId}", "/profiles?q=hostile",
            "/profiles/nobody-at-all-here", $"/api/profiles/{fixture.Author}/badge.svg", $"/api/profiles/{fixture.Author}/feed.atom",
        ];
        foreach (var route in routes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, route);
            request.Headers.Host = "attacker.example";
            using var response = await Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            var policy = string.Join(";", response.Headers.TryGetValues("Content-Security-Policy", out var p) ? p : []);

            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", route);
            Assert.DoesNotContain("attacker.example", body, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            if (type == "text/html")
            {
                Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
                Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
                Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            }
            else if (type == "image/svg+xml")
            {
                Assert.Contains("frame-ancestors *", policy, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task TheFeedAndBadgeSnippets_UseTheConfiguredPublicAddress()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/profiles/{fixture.Author}/feed.atom");
        request.Headers.Host = "attacker.example";
        var feed = await (await Http.SendAsync(request)).Content.ReadAsStringAsync();
        var page = await Http.GetStringAsync($"/profiles/{fixture.Author}");

        Assert.Contains($"<id>https://scholarfx.example.org/profiles/{fixture.Author}</id>", feed, StringComparison.Ordinal);
        Assert.Contains($"https://scholarfx.example.org/api/profiles/{fixture.Author}/badge.svg", page, StringComparison.Ordinal);
    }
}

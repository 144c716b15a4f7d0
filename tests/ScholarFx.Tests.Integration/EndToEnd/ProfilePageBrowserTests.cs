using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.EndToEnd;

/// <summary>
/// The sample profile's page in a real Chromium (Debian's, driven by Playwright), served by the LocalHost over Azurite
/// with the samples ingested: the numbers on the page are the JSON API's, a score explanation opens, a co-author link
/// leads to that co-author's page; the home page's name search and ranked lists lead to the search page and a profile;
/// screenshots at desktop and phone widths go to the test output (<c>screenshots/</c>).
/// </summary>
public sealed class ProfilePageBrowserTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Author = "boyu-shi";
    private RunningLocalHost? host;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        await Chromium.EnsureInstalledAsync();
        foreach (var name in await LocalFunctionHost.UploadSamplesAsync(fixture.Storage, fixture.RepositoryRoot, CancellationToken.None))
        {
            await fixture.IngestAsync(name);
        }

        await LocalFunctionHost.ApplySampleCurationsAsync(fixture.Services, fixture.RepositoryRoot, CancellationToken.None);

        // Settled before the host starts, so the settle requests the ingests queued change nothing while the test reads.
        await fixture.Services.GetRequiredService<ScholarFx.Core.Settle.SettleService>().SettleAsync(everything: true, CancellationToken.None);
        host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>());
        await SettledAsync();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.Path, Headless = true, Args = Chromium.Arguments });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheSampleProfilePage_ShowsTheApisNumbers_OpensAnExplanation_AndFollowsACoAuthor()
    {
        var api = JsonDocument.Parse(await host!.Http.GetStringAsync($"/api/profiles/{Author}")).RootElement;
        var page = await browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

        var response = await page.GotoAsync(new Uri(host.Http.BaseAddress!, $"/profiles/{Author}").ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal(api.GetProperty("name").GetString(), await page.Locator("h1").InnerTextAsync());
        Assert.Equal(api.GetProperty("hIndex").GetInt32().ToString(CultureInfo.InvariantCulture), await Figure(page, "h-index"));
        Assert.Equal(api.GetProperty("i10Index").GetInt32().ToString(CultureInfo.InvariantCulture), await Figure(page, "i10-index"));
        Assert.Equal(api.GetProperty("paperCount").GetInt32().ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "papers"));
        Assert.Equal(api.GetProperty("citationCount").GetInt64().ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "citations"));
        Assert.Equal(api.GetProperty("novelty").GetInt32().ToString(CultureInfo.InvariantCulture), await Figure(page, "novelty"));
        Assert.Equal(api.GetProperty("aiScore").GetInt32().ToString(CultureInfo.InvariantCulture), await Figure(page, "ai-score"));
        var titles = await page.Locator("ol.papers > li .title").AllInnerTextsAsync();
        Assert.Equal(api.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("title").GetString()), titles.Take(api.GetProperty("papers").GetArrayLength()));
        Assert.Equal(1, await page.Locator(".chart svg[role=img]").CountAsync());
        await ShotAsync(page, "profile-desktop.png");

        // A score's explanation is one click away: the nearest earlier papers and their similarity.
        var why = page.Locator("details", new PageLocatorOptions { Has = page.Locator("summary", new PageLocatorOptions { HasText = "Why this novelty" }) }).First;
        Assert.False(await why.Locator("table").IsVisibleAsync());
        await why.Locator("summary").ClickAsync();
        Assert.True(await why.Locator("table").IsVisibleAsync());
        Assert.Contains("Similarity", await why.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "profile-explanation.png");

        // A co-author link leads to that co-author's page.
        var coAuthor = api.GetProperty("coAuthors")[0];
        await page.Locator("section[aria-labelledby=co-authors] a").First.ClickAsync();
        await page.WaitForURLAsync("**/profiles/" + coAuthor.GetProperty("id").GetString());
        Assert.Equal(coAuthor.GetProperty("name").GetString(), await page.Locator("h1").InnerTextAsync());

        // At a phone's width nothing is wider than the screen.
        var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, DeviceScaleFactor = 2 });
        await phone.GotoAsync(new Uri(host.Http.BaseAddress!, $"/profiles/{Author}").ToString());
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        await ShotAsync(phone, "profile-phone.png");
    }

    [Fact]
    public async Task TheHomePage_SearchesByName_AndItsRankedListsLeadToProfiles()
    {
        var page = await browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var home = new Uri(host!.Http.BaseAddress!, "/").ToString();

        var response = await page.GotoAsync(home);

        Assert.Equal(200, response!.Status);
        Assert.Equal("ScholarFx", await page.Locator("h1").InnerTextAsync());
        var health = JsonDocument.Parse(await host.Http.GetStringAsync("/api/health")).RootElement;
        Assert.Equal(health.GetProperty("corpusSize").GetInt64().ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "papers"));
        Assert.True(await page.Locator("section[aria-labelledby=leaders] ol.leaders a").CountAsync() > 0, "no ranked author on the home page");
        await ShotAsync(page, "home.png");

        // The name search's form lands on the search page, which lists the author.
        await page.GetByRole(AriaRole.Searchbox, new PageGetByRoleOptions { Name = "By name", Exact = true }).FillAsync("boyu");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search names" }).ClickAsync();
        await page.WaitForURLAsync("**/profiles?q=boyu");
        Assert.Equal("Find an author", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(1, await page.Locator($"ol.papers a[href='/profiles/{Author}']").CountAsync());

        // The topic search's form lands on the authors by topic, each linked to their profile.
        await page.GotoAsync(home);
        await page.GetByRole(AriaRole.Searchbox, new PageGetByRoleOptions { Name = "By topic", Exact = true }).FillAsync("uncertainty in question answering");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search topics" }).ClickAsync();
        await page.WaitForURLAsync("**/profiles?topic=uncertainty+in+question+answering");
        Assert.Equal("Authors by topic", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("ol.papers .title a[href^='/profiles/']").CountAsync() > 0, "no author by topic");
        await ShotAsync(page, "topic.png");

        // A ranked list's first author links to their profile page.
        await page.GotoAsync(home);
        var leader = page.Locator("section[aria-labelledby=leaders] ol.leaders a").First;
        var name = await leader.InnerTextAsync();
        var href = await leader.GetAttributeAsync("href");
        await leader.ClickAsync();
        await page.WaitForURLAsync("**" + href);
        Assert.Equal(name, await page.Locator("h1").InnerTextAsync());

        // The full ranking behind the list, and the home page at a phone's width.
        await page.GotoAsync(home);
        await page.Locator("section[aria-labelledby=leaders] a", new PageLocatorOptions { HasText = "Full ranking of All categories" }).ClickAsync();
        await page.WaitForURLAsync("**/rankings");
        Assert.True(await page.Locator("table a").CountAsync() > 0, "the full ranking lists no author");
        var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, DeviceScaleFactor = 2 });
        await phone.GotoAsync(home);
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the home page scrolls sideways on a phone");
        await ShotAsync(phone, "home-phone.png");
    }

    [Fact]
    public async Task TheRoot_IsTheHomePage_AndUnknownPathsStillAnswer404()
    {
        var http = host!.Http;

        using var root = await http.GetAsync("/");
        using var unknown = await http.GetAsync("/no-such-page");
        using var nested = await http.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<h1>ScholarFx</h1>", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var missing in new[] { unknown, nested })
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/profiles")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task TheBadgeFeedAndPages_AreServed_WithETags()
    {
        var http = host!.Http;
        foreach (var (path, type) in new[]
        {
            ("/", "text/html"), ("/rankings?sort=citations", "text/html"), ("/profiles?topic=question+answering", "text/html"),
            ($"/profiles/{Author}", "text/html"), ("/profiles?q=boyu", "text/html"), ("/papers/arxiv%3A2605.06213", "text/html"),
            ($"/api/profiles/{Author}/badge.svg", "image/svg+xml"), ($"/api/profiles/{Author}/feed.atom", "application/atom+xml"),
        })
        {
            using var first = await http.GetAsync(path);
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{path}: {first.StatusCode}");
            Assert.Equal(type, first.Content.Headers.ContentType!.MediaType);
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            using var revalidated = await http.SendAsync(again);
            Assert.True(revalidated.StatusCode == HttpStatusCode.NotModified, $"{path}: {revalidated.StatusCode} for {first.Headers.ETag}, now {revalidated.Headers.ETag}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/profiles/nobody-at-all")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/profiles/nobody-at-all/badge.svg")).StatusCode);
    }

    private static async Task<string> Figure(IPage page, string id) => (await page.Locator($"[data-figure={id}]").InnerTextAsync()).Trim();

    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }

    // Settling after the ingest may still change a score: wait until the profile stops changing.
    private async Task SettledAsync()
    {
        string? last = null;
        var stableSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await host!.Http.GetAsync($"/api/profiles/{Author}");
            var tag = response.Headers.ETag?.Tag;
            if (tag != last)
            {
                (last, stableSince) = (tag, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(3))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The profile of {Author} kept changing for 90 s.");
    }
}

using System.Text.RegularExpressions;
using ScholarFx.Core.Discovery;
using ScholarFx.Core.Harvest;
using ScholarFx.Core.Health;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Pages;

public sealed partial class HomePageTests
{
    internal static HealthReport Healthy(long size = 1234) => new(
        "healthy", true, null, size, new HealthModels("novelty-v1", "ai-v1", true),
        new RescoreRun { Id = "r1", Trigger = "timer", Phase = RescorePhase.Succeeded, ShardsDone = "1", StartedAt = DateTimeOffset.Parse("2026-12-06T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture), CompletedAt = DateTimeOffset.Parse("2026-12-06T02:10:00Z", System.Globalization.CultureInfo.InvariantCulture) },
        null, null,
        [
            new HarvestStatus("arxiv", true, "0 30 3 * * *", null, null, "ok", DateTimeOffset.Parse("2026-12-06T03:35:00Z", System.Globalization.CultureInfo.InvariantCulture), null, 0, null, null, 3, 120, 0, null, null, null),
            new HarvestStatus("openalex", false, "0 0 4 * * *", null, null, null, null, null, 0, null, null, 0, 0, 0, null, null, null),
        ]);

    private static string Home(HealthReport? health = null) => HomePage.Render(new HomePageModel(health ?? Healthy(),
    [
        new LeaderList(null, [new RankEntry("ada-lovelace", "Ada <Lovelace>", 12, 30, "cs.LG"), new RankEntry("bo", "Bo & Cy", 9, 1, "math.\"CO\"")]),
        new LeaderList("math.\"CO\"", [new RankEntry("bo", "Bo & Cy", 9, 1, "math.\"CO\"")]),
        new LeaderList("cs.LG", []),
    ]));

    // Every control has a label naming it (by for=id), and ids are unique.
    private static void EveryControlIsLabelled(string html)
    {
        var ids = Control().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var id in ids)
        {
            Assert.Contains($"<label for=\"{id}\">", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<style>"));
    }

    [GeneratedRegex("<(?:input|select|textarea) id=\"([^\"]+)\"")]
    private static partial Regex Control();

    [Fact]
    public void TheHomePage_HasBothSearches_TheCorpus_TheLeaders_AndTheApiLinks()
    {
        var html = Home();

        Assert.Contains("<form class=\"ask\" role=\"search\" aria-label=\"Authors by name\" action=\"/profiles\" method=\"get\"><label for=\"home-q\">", html, StringComparison.Ordinal);
        Assert.Contains("<input id=\"home-q\" name=\"q\"", html, StringComparison.Ordinal);
        Assert.Contains("<input id=\"home-topic\" name=\"topic\"", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"papers\">1,234<", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"rescored\">2026-12-06 02:10 UTC<", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"harvest-arxiv\">2026-12-06 03:35 UTC<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("harvest-openalex", html, StringComparison.Ordinal);
        Assert.Contains("<h3 id=\"list-0\">All categories</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/profiles/ada-lovelace\">", html, StringComparison.Ordinal);
        Assert.Contains("h-index 12 · 30 papers", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/rankings\">Full ranking of All categories</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/rankings?category=math.%22CO%22\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">cs.LG</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/api/health\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/api/openapi.json\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHomePage_EscapesNamesAndCategories()
    {
        var html = Home();

        Assert.Contains("Ada &lt;Lovelace&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Bo &amp; Cy", html, StringComparison.Ordinal);
        Assert.Contains(">math.&quot;CO&quot;</h3>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Lovelace>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHomePage_HasLandmarks_AndLabelledControls()
    {
        var html = Home();

        foreach (var part in new[] { "<html lang=\"en\">", "<header>", "<nav aria-label=\"Site\">", "<main id=\"main\">", "<footer>", "<a class=\"skip\" href=\"#main\">", "<section aria-labelledby=\"find\"><h2 id=\"find\">", "<section aria-labelledby=\"leaders\">" })
        {
            Assert.Contains(part, html, StringComparison.Ordinal);
        }

        EveryControlIsLabelled(html);
    }

    [Fact]
    public void TheHomePage_WithoutStorage_SaysSo_AndWithoutRankingsSaysNoneYet()
    {
        var html = HomePage.Render(new HomePageModel(new HealthReport("unhealthy", false, "storage could not be reached", null, new HealthModels(null, null, false), null, null), [new LeaderList(null, [])]));

        Assert.Contains("The corpus cannot be read right now", html, StringComparison.Ordinal);
        Assert.Contains("No author is ranked yet.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTopicPage_ListsAuthorsWithTheirClosestPapers_Escaped_AndLinksTheJson()
    {
        var found = new TopicAuthorsView(
            [new TopicAuthorView("ada-lovelace", "Ada <Lovelace>", 0.6123, 2, [new FoundPaperView("arxiv:1", "Graphs <b>and</b> molecules", "2024-05-01", "cs.LG", 0.71, "/api/papers/arxiv%3A1")], "/api/profiles/ada-lovelace")],
            "test-model", "the mean similarity");

        var html = TopicPage.Render("graphs & <molecules>", found, null);
        var empty = TopicPage.Render(null, null, null);
        var refused = TopicPage.Render("x", null, "topic is 1–2,000 characters");

        Assert.Contains("<a href=\"/profiles/ada-lovelace\">Ada &lt;Lovelace&gt;</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/papers/arxiv%3A1\">Graphs &lt;b&gt;and&lt;/b&gt; molecules</a>", html, StringComparison.Ordinal);
        Assert.Contains("closeness 0.61 · 2 papers", html, StringComparison.Ordinal);
        Assert.Contains("similarity 0.71", html, StringComparison.Ordinal);
        Assert.Contains("value=\"graphs &amp; &lt;molecules&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("/api/profiles?topic=graphs%20%26%20%3Cmolecules%3E", html, StringComparison.Ordinal);
        Assert.Contains("<title>Authors working on graphs &amp; &lt;molecules&gt; · ScholarFx</title>", html, StringComparison.Ordinal);
        Assert.Contains("Describe a topic", empty, StringComparison.Ordinal);
        Assert.Contains("<p role=\"alert\">topic is 1–2,000 characters</p>", refused, StringComparison.Ordinal);
        EveryControlIsLabelled(html);
        Assert.Contains("<main id=\"main\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRankingPage_ListsTheEntries_PagesWithTheCursor_AndLinksEverySort()
    {
        var html = RankedListPage.Render("cs.<LG>", "citations", [new RankEntry("ada-lovelace", "Ada <Lovelace>", 1234, 30, "cs.<LG>")], "c+/=", firstPage: false, null);
        var refused = RankedListPage.Render(null, null, [], null, firstPage: true, "sort is one of hIndex, citations, novelty, aiScore");

        Assert.Contains("<h1>Leading authors · cs.&lt;LG&gt;</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<td><a href=\"/profiles/ada-lovelace\">Ada &lt;Lovelace&gt;</a></td><td class=\"num\">1,234</td><td class=\"num\">30</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" class=\"num\">Citations</th>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/rankings?category=cs.%3CLG%3E&amp;sort=citations&amp;cursor=c%2B%2F%3D\">More authors</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/rankings?category=cs.%3CLG%3E&amp;sort=citations\">First page</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/rankings?category=cs.%3CLG%3E&amp;sort=novelty\">Novelty %</a>", html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\"><strong>Citations</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<nav aria-label=\"Rank by\">", html, StringComparison.Ordinal);
        Assert.Contains("<p role=\"alert\">sort is one of", refused, StringComparison.Ordinal);
    }
}

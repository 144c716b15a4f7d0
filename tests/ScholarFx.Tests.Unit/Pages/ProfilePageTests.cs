using System.Xml.Linq;
using ScholarFx.Core.Pages;

namespace ScholarFx.Tests.Unit.Pages;

public sealed class ProfilePageTests
{
    private static string Render(bool firstPage = true, string? next = "abc=")
    {
        var papers = new[] { PageSamples.Summary("p2", "2024-05-01"), PageSamples.Summary("p1", "2021-01-01", novelty: null) };
        var records = new Dictionary<string, ScholarFx.Core.Papers.PaperView> { ["p2"] = PageSamples.Record("p2") };
        return ProfilePage.Render(new ProfilePageModel(PageSamples.Profile(papers), papers, records, next, firstPage, "https://scholarfx.example"));
    }

    [Fact]
    public void EveryIngestedValue_IsEscaped()
    {
        var html = Render();

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>of</i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Bo &amp; Cy &lt;b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0001', html);
        Assert.DoesNotContain('\u0007', html);
    }

    [Fact]
    public void ThePage_HasLandmarks_AViewport_AndLabelledFigures()
    {
        var html = Render();

        foreach (var part in new[] { "<html lang=\"en\">", "<meta name=\"viewport\"", "<header>", "<nav aria-label=\"Site\">", "<main id=\"main\">", "<footer>", "<a class=\"skip\" href=\"#main\">", "<label for=\"site-q\">" })
        {
            Assert.Contains(part, html, StringComparison.Ordinal);
        }

        Assert.Contains("data-figure=\"h-index\">3<", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"citations\">1,234<", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"novelty\">62<", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"ai-score\">41<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Papers_ShowTheirScores_AbstractAndExplanationsOnDemand_AndLinkTheirAuthors()
    {
        var html = Render();

        Assert.True(html.IndexOf("/papers/p2", StringComparison.Ordinal) < html.IndexOf("/papers/p1", StringComparison.Ordinal), "newest first");
        Assert.Contains("<details><summary>Abstract</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Why this novelty</summary>", html, StringComparison.Ordinal);
        Assert.Contains("0.812", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Why this AI score</summary>", html, StringComparison.Ordinal);
        Assert.Contains("Rationale &quot;&gt;&lt;img", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/profiles/bo-cy\">Bo &amp; Cy</a>", html, StringComparison.Ordinal);
        Assert.Contains("and 1 more", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheChart_IsInlineSvg_WithEveryYearAndATextAlternative()
    {
        var html = Render();
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var svg = XElement.Parse(html[start..(html.IndexOf("</svg>", start, StringComparison.Ordinal) + 6)]);

        Assert.Equal(4, svg.Elements().Count(e => e.Name.LocalName == "rect"));
        Assert.Equal("2021: 1, 2022: 0, 2023: 0, 2024: 2", svg.Elements().Single(e => e.Name.LocalName == "desc").Value);
    }

    [Fact]
    public void Paging_UsesTheApisCursor_AndLaterPagesLinkBackToTheFirst()
    {
        Assert.Contains("<a rel=\"next\" href=\"/profiles/ada-lovelace?cursor=abc%3D\">", Render(), StringComparison.Ordinal);
        var later = Render(firstPage: false, next: null);
        Assert.Contains("<a href=\"/profiles/ada-lovelace\">First page</a>", later, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", later, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBadgeSnippets_AreEscapedAbsoluteLinks_AndTheFeedIsAnnounced()
    {
        var html = Render();

        Assert.Contains("[![ScholarFx: Ada &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("(https://scholarfx.example/api/profiles/ada-lovelace/badge.svg)](https://scholarfx.example/profiles/ada-lovelace)", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Papers feed\" href=\"/api/profiles/ada-lovelace/feed.atom\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePaperPage_ShowsTheAbstractAndBothExplanations_Escaped()
    {
        var html = PaperPage.Render(PageSamples.Record("doi:10.1/x"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("We show &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"novelty\">Novelty 61.5</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"ai\">AI score 40</h2>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/papers/doi%3A10.1%2Fx\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSearchPage_ListsHits_AndShowsWhyAQueryWasRefused()
    {
        var hits = new[] { new ScholarFx.Core.Storage.NameHit("ada-lovelace", "Ada <Lovelace>", 3, "cs.LG") };

        var html = SearchPage.Render("ada <lov", hits, "next", null);
        var refused = SearchPage.Render("a", [], null, "every word needs two letters");

        Assert.Contains("<a href=\"/profiles/ada-lovelace\">Ada &lt;Lovelace&gt;</a>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"ada &lt;lov\"", html, StringComparison.Ordinal);
        Assert.Contains("/profiles?q=ada%20%3Clov&amp;cursor=next", html, StringComparison.Ordinal);
        Assert.Contains("<p role=\"alert\">every word needs two letters</p>", refused, StringComparison.Ordinal);
    }
}

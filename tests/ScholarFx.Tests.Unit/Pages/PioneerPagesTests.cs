using ScholarFx.Core.Pages;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Pages;

/// <summary>The pioneer score on the pages: the profile's figure, each paper's value and who followed it, the ranked list by it.</summary>
public sealed class PioneerPagesTests
{
    private static PaperView Record(string id) => PageSamples.Record(id) with
    {
        Pioneer = 87.5,
        PioneerExplanation = new PioneerExplanationView(
            87.5,
            [new FollowerView("arxiv:9", "Later " + PageSamples.Script, "2025-02-01", 1, 0.7712, "/api/papers/arxiv%3A9")],
            14, 412, 9.25, 0.0224, null, 10, 730, 60, 200, "ranked followers", new ReferenceSet("category", "cs.LG", 365, 250), null, "all-MiniLM-L6-v2", "pioneer/1"),
    };

    [Fact]
    public void TheProfilePage_ShowsThePioneerFigure_AndEachPapersFollowers()
    {
        var papers = new[] { PageSamples.Summary("p2", "2024-05-01") with { Pioneer = 87.5 } };
        var html = ProfilePage.Render(new ProfilePageModel(PageSamples.Profile(papers) with { Pioneer = 88 }, papers, new Dictionary<string, PaperView> { ["p2"] = Record("p2") }, null, true, "https://scholarfx.example"));

        Assert.Contains("data-figure=\"pioneer\">88<", html, StringComparison.Ordinal);
        Assert.Contains("<span>Pioneer <strong>87.5</strong></span>", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Who followed it (pioneer)</summary>", html, StringComparison.Ordinal);
        Assert.Contains("Later &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePaperPage_ExplainsPioneer_WithTheLaterPapersThatFollowedIt_OrWhyThereIsNone()
    {
        var html = PaperPage.Render(Record("p2"));
        var none = PaperPage.Render(PageSamples.Record("p3") with
        {
            PioneerExplanation = PioneerExplanationView.From(new Score(null, "fewer than 200 later papers in its window (60 to 730 days after it) yet", "m", "pioneer/1"), new Dictionary<string, string>()),
        });

        Assert.Contains("<h2 id=\"pioneer\">Pioneer 87.5</h2>", html, StringComparison.Ordinal);
        Assert.Contains("412 later papers in its window (60 to 730 days after it), 14 of which had it among their 10 nearest earlier papers", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/papers/arxiv%3A9\">Later &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("0.771", html, StringComparison.Ordinal);
        Assert.Contains("No pioneer value: fewer than 200 later papers in its window", none, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRankingPage_RanksByPioneer()
    {
        var html = RankedListPage.Render(null, "pioneer", [new RankEntry("ada-lovelace", "Ada", 88, 3, "cs.LG")], null, firstPage: true, null);

        Assert.Contains("aria-current=\"page\"><strong>Pioneer</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">88</td>", html, StringComparison.Ordinal);
    }
}

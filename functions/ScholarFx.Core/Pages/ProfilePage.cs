using System.Globalization;
using System.Text;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Pages;

/// <summary>What a profile page shows: the profile, one page of its papers (with their records where read), paging.</summary>
internal sealed record ProfilePageModel(
    ProfileView Profile,
    IReadOnlyList<PaperSummaryView> Papers,
    IReadOnlyDictionary<string, PaperView> Records,
    string? NextCursor,
    bool FirstPage,
    string BaseUrl);

/// <summary>
/// The profile page <c>GET /profiles/{authorId}</c>: the figures, papers per year, co-authors, then the papers newest
/// first, paged with the API's cursors; the badge with its snippets and the feed. Every value is escaped.
/// </summary>
internal static class ProfilePage
{
    /// <summary>The page's HTML.</summary>
    public static string Render(ProfilePageModel model)
    {
        var p = model.Profile;
        var self = Markup.ProfileHref(p.Id);
        var feed = "/api/profiles/" + Markup.Segment(p.Id) + "/feed.atom";
        var badge = "/api/profiles/" + Markup.Segment(p.Id) + "/badge.svg";
        var html = new StringBuilder(16_384);
        html.Append("<h1>").Append(Markup.Html(p.Name)).Append("</h1>\n<p class=\"sub\">");
        var facts = new List<string>();
        if (p.PrimaryCategory is { Length: > 0 } category)
        {
            facts.Add("Primary category " + Markup.Html(category));
        }

        if (p.Affiliations.Count > 0)
        {
            var latest = p.Affiliations[0];
            facts.Add(Markup.Html(latest.Name) + $" ({latest.FirstYear}–{latest.LastYear})");
        }

        if (p.Orcid is { Length: > 0 } orcid)
        {
            facts.Add("ORCID <a href=\"https://orcid.org/" + Markup.Html(orcid) + "\">" + Markup.Html(orcid) + "</a>");
        }

        html.Append(string.Join(" · ", facts)).Append("</p>\n");
        html.Append("<dl class=\"figures\" aria-label=\"Figures\">");
        Figure(html, "h-index", "h-index", p.HIndex.ToString(CultureInfo.InvariantCulture));
        Figure(html, "i10-index", "i10-index", p.I10Index.ToString(CultureInfo.InvariantCulture));
        Figure(html, "papers", "Papers", Markup.Count(p.PaperCount));
        Figure(html, "citations", "Citations", Markup.Count(p.CitationCount));
        Figure(html, "novelty", "Novelty %", p.Novelty?.ToString(CultureInfo.InvariantCulture) ?? "–");
        Figure(html, "ai-score", "AI score", p.AiScore?.ToString(CultureInfo.InvariantCulture) ?? "–");
        Figure(html, "pioneer", "Pioneer", p.Pioneer?.ToString(CultureInfo.InvariantCulture) ?? "–");
        html.Append("</dl>\n");

        if (p.CountsByYear.Count > 0)
        {
            html.Append("<section aria-labelledby=\"per-year\"><h2 id=\"per-year\">Papers per year</h2><div class=\"chart\">").Append(YearChart.Svg(p.CountsByYear)).Append("</div></section>\n");
        }

        if (p.CoAuthors.Count > 0)
        {
            html.Append("<section aria-labelledby=\"co-authors\"><h2 id=\"co-authors\">Co-authors</h2><ul class=\"plain inline\">");
            foreach (var c in p.CoAuthors)
            {
                html.Append("<li><a href=\"").Append(Markup.Html(Markup.ProfileHref(c.Id))).Append("\">").Append(Markup.Html(c.Name)).Append("</a> ")
                    .Append("<span class=\"meta\">(").Append(c.Papers).Append(c.Papers == 1 ? " paper" : " papers").Append(")</span></li>");
            }

            html.Append("</ul></section>\n");
        }

        html.Append("<section aria-labelledby=\"papers\"><h2 id=\"papers\">Papers").Append(model.FirstPage ? "" : " (continued)").Append("</h2>\n<ol class=\"papers\">\n");
        foreach (var paper in model.Papers)
        {
            PaperMarkup.Item(html, paper, model.Records.GetValueOrDefault(paper.Id));
        }

        html.Append("</ol>\n<nav class=\"pager\" aria-label=\"Papers pages\">");
        if (!model.FirstPage)
        {
            html.Append("<a href=\"").Append(Markup.Html(self)).Append("\">First page</a>");
        }

        if (model.NextCursor is { } next)
        {
            html.Append("<a rel=\"next\" href=\"").Append(Markup.Html(self + "?cursor=" + Uri.EscapeDataString(next))).Append("\">Next papers</a>");
        }

        html.Append("</nav></section>\n");
        if (model.FirstPage && p.RetractedPapers.Count > 0)
        {
            html.Append("<section aria-labelledby=\"retracted\"><h2 id=\"retracted\">Retracted papers</h2><p class=\"meta\">Counted in no figure above.</p><ol class=\"papers\">\n");
            foreach (var paper in p.RetractedPapers)
            {
                PaperMarkup.Item(html, paper, null);
            }

            html.Append("</ol></section>\n");
        }

        html.Append("<section aria-labelledby=\"share\"><h2 id=\"share\">Badge and feed</h2>")
            .Append("<p><img src=\"").Append(Markup.Html(badge)).Append("\" alt=\"ScholarFx badge of ").Append(Markup.Html(p.Name)).Append("\"></p>")
            .Append("<p>Markdown:</p><pre>").Append(Markup.Html($"[![ScholarFx: {p.Name}]({model.BaseUrl}{badge})]({model.BaseUrl}{self})")).Append("</pre>")
            .Append("<p>HTML:</p><pre>").Append(Markup.Html($"<a href=\"{model.BaseUrl}{self}\"><img src=\"{model.BaseUrl}{badge}\" alt=\"ScholarFx: {Markup.Html(p.Name)}\"></a>")).Append("</pre>")
            .Append("<p>Follow new papers in a feed reader: <a href=\"").Append(Markup.Html(feed)).Append("\">Atom feed</a>. ")
            .Append("The same profile as JSON: <a href=\"/api/profiles/").Append(Markup.Html(Markup.Segment(p.Id))).Append("\">API</a>.</p></section>\n");
        return PageShell.Render(p.Name, html.ToString(), feedHref: feed);
    }

    private static void Figure(StringBuilder html, string id, string label, string value) =>
        html.Append("<div><dt id=\"fig-").Append(id).Append("\">").Append(label).Append("</dt><dd aria-labelledby=\"fig-").Append(id).Append("\" data-figure=\"").Append(id).Append("\">").Append(value).Append("</dd></div>");
}

using System.Globalization;
using System.Text;
using ScholarFx.Core.Health;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Pages;

/// <summary>One ranked list on the home page: the leading authors of a category (null: of every category).</summary>
internal sealed record LeaderList(string? Category, IReadOnlyList<RankEntry> Leaders);

/// <summary>What the home page shows: the corpus as <c>/api/health</c> reports it, and the leading authors' lists.</summary>
internal sealed record HomePageModel(HealthReport Health, IReadOnlyList<LeaderList> Lists);

/// <summary>
/// The home page <c>GET /</c>: search by name and by topic, the corpus's size and freshness (as <c>/api/health</c>
/// reports them), the leading authors by h-index of the largest categories with links to the full rankings, and the
/// API's entry points. Every value is escaped.
/// </summary>
internal static class HomePage
{
    /// <summary>The page's HTML.</summary>
    public static string Render(HomePageModel model)
    {
        var html = new StringBuilder(8_192);
        html.Append("<h1>ScholarFx</h1>\n<p class=\"sub\">Researcher profiles built from paper abstracts: h-index, citations, Novelty % and AI score, each score explained.</p>\n")
            .Append("<section aria-labelledby=\"find\"><h2 id=\"find\">Find authors</h2>\n")
            .Append("<form class=\"ask\" role=\"search\" aria-label=\"Authors by name\" action=\"/profiles\" method=\"get\"><label for=\"home-q\">By name</label>")
            .Append("<input id=\"home-q\" name=\"q\" type=\"search\" autocomplete=\"off\" aria-describedby=\"home-q-hint\"><button type=\"submit\">Search names</button>")
            .Append("<span id=\"home-q-hint\" class=\"meta\">the start of any words of a name, e.g. ada lov</span></form>\n")
            .Append("<form class=\"ask\" role=\"search\" aria-label=\"Authors by topic\" action=\"/profiles\" method=\"get\"><label for=\"home-topic\">By topic</label>")
            .Append("<input id=\"home-topic\" name=\"topic\" type=\"search\" autocomplete=\"off\" aria-describedby=\"home-topic-hint\"><button type=\"submit\">Search topics</button>")
            .Append("<span id=\"home-topic-hint\" class=\"meta\">free text, e.g. graph neural networks for molecules</span></form>\n</section>\n");
        Corpus(html, model.Health);
        Leaders(html, model.Lists);
        html.Append("<section aria-labelledby=\"api\"><h2 id=\"api\">API</h2>\n<ul>")
            .Append("<li><a href=\"/api/openapi.json\">OpenAPI description</a> (<code>/api/openapi.json</code>): every route of the JSON API</li>")
            .Append("<li><a href=\"/api/health\">Health</a> (<code>/api/health</code>): storage, models, corpus size, rescore and harvests</li>")
            .Append("</ul>\n</section>\n");
        return PageShell.Render("Researcher profiles", html.ToString());
    }

    private static void Corpus(StringBuilder html, HealthReport health)
    {
        html.Append("<section aria-labelledby=\"corpus\"><h2 id=\"corpus\">The corpus</h2>\n");
        if (!health.StorageReachable)
        {
            html.Append("<p role=\"status\">The corpus cannot be read right now; <a href=\"/api/health\">health</a> says why.</p>\n</section>\n");
            return;
        }

        html.Append("<dl class=\"figures\">");
        Figure(html, "papers", "Papers", health.CorpusSize is { } size ? Markup.Count(size) : "–");
        Figure(html, "rescored", "Last rescore", When(health.LastRescore?.CompletedAt));
        foreach (var source in (health.Harvest ?? []).Where(h => h.Enabled))
        {
            Figure(html, "harvest-" + source.Source, "Last harvest (" + source.Source + ")", When(source.LastCompleted));
        }

        html.Append("</dl>\n</section>\n");
    }

    private static void Leaders(StringBuilder html, IReadOnlyList<LeaderList> lists)
    {
        html.Append("<section aria-labelledby=\"leaders\"><h2 id=\"leaders\">Leading authors by h-index</h2>\n");
        if (lists.All(l => l.Leaders.Count == 0))
        {
            html.Append("<p>No author is ranked yet.</p>\n</section>\n");
            return;
        }

        html.Append("<div class=\"lists\">\n");
        var index = 0;
        foreach (var list in lists.Where(l => l.Leaders.Count > 0))
        {
            var id = "list-" + (index++).ToString(CultureInfo.InvariantCulture);
            var name = list.Category ?? "All categories";
            html.Append("<section aria-labelledby=\"").Append(id).Append("\"><h3 id=\"").Append(id).Append("\">").Append(Markup.Html(name)).Append("</h3>\n<ol class=\"leaders\">");
            foreach (var leader in list.Leaders)
            {
                html.Append("<li><a href=\"").Append(Markup.Html(Markup.ProfileHref(leader.AuthorId))).Append("\">").Append(Markup.Html(leader.Name)).Append("</a> ")
                    .Append("<span class=\"meta\">h-index ").Append(Markup.Count(leader.Value)).Append(" · ").Append(Markup.Count(leader.PaperCount))
                    .Append(leader.PaperCount == 1 ? " paper" : " papers").Append("</span></li>");
            }

            html.Append("</ol>\n<p><a href=\"").Append(Markup.Html(RankedListPage.Href(list.Category, null, null))).Append("\">Full ranking of ").Append(Markup.Html(name)).Append("</a></p>\n</section>\n");
        }

        html.Append("</div>\n</section>\n");
    }

    private static void Figure(StringBuilder html, string id, string label, string value) =>
        html.Append("<div><dt>").Append(Markup.Html(label)).Append("</dt><dd data-figure=\"").Append(Markup.Html(id)).Append("\">").Append(Markup.Html(value)).Append("</dd></div>");

    private static string When(DateTimeOffset? at) =>
        at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "not yet";
}

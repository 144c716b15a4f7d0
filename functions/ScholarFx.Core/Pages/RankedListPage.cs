using System.Text;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The ranked list page <c>GET /rankings?category=&amp;sort=&amp;cursor=</c>: the profiles of a category (or all),
/// best first by one figure, as <c>GET /api/profiles?category=&amp;sort=</c> lists them, paged with its cursors.
/// </summary>
internal static class RankedListPage
{
    /// <summary>What each sort is called on the page.</summary>
    private static readonly IReadOnlyDictionary<string, string> Figures = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hIndex"] = "h-index",
        ["citations"] = "Citations",
        ["novelty"] = "Novelty %",
        ["aiScore"] = "AI score",
        ["pioneer"] = "Pioneer",
    };

    /// <summary>The link to a ranking page (no category: every category; no sort: h-index).</summary>
    public static string Href(string? category, string? sort, string? cursor)
    {
        var query = new List<string>(3);
        if (!string.IsNullOrEmpty(category))
        {
            query.Add("category=" + Uri.EscapeDataString(category));
        }

        if (!string.IsNullOrEmpty(sort))
        {
            query.Add("sort=" + Uri.EscapeDataString(sort));
        }

        if (!string.IsNullOrEmpty(cursor))
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return query.Count == 0 ? "/rankings" : "/rankings?" + string.Join('&', query);
    }

    /// <summary>
    /// The page's HTML: <paramref name="sort"/> is one of <see cref="ProfileRankings.Sorts"/> (or null when the request's
    /// was refused, with <paramref name="problem"/> saying why).
    /// </summary>
    public static string Render(string? category, string? sort, IReadOnlyList<RankEntry> entries, string? nextCursor, bool firstPage, string? problem)
    {
        var name = string.IsNullOrWhiteSpace(category) ? "All categories" : category;
        var html = new StringBuilder(8_192);
        html.Append("<h1>Leading authors · ").Append(Markup.Html(name)).Append("</h1>\n<nav aria-label=\"Rank by\"><ul class=\"plain inline\">");
        foreach (var (key, label) in Figures)
        {
            html.Append("<li><a href=\"").Append(Markup.Html(Href(category, key, null))).Append('"').Append(key == sort ? " aria-current=\"page\"" : "").Append('>')
                .Append(key == sort ? "<strong>" + Markup.Html(label) + "</strong>" : Markup.Html(label)).Append("</a></li>");
        }

        html.Append("</ul></nav>\n");
        if (problem is not null || sort is null)
        {
            html.Append("<p role=\"alert\">").Append(Markup.Html(problem ?? "No such ranking.")).Append("</p>\n");
            return PageShell.Render("Leading authors", html.ToString());
        }

        var figure = Figures[sort];
        if (entries.Count == 0)
        {
            html.Append("<p role=\"status\">").Append(firstPage ? "No author is ranked by " + Markup.Html(figure) + " in " + Markup.Html(name) + "." : "No more authors.").Append("</p>\n");
        }
        else
        {
            html.Append("<table><caption class=\"meta\">").Append(firstPage ? "Best first by " : "More authors, best first by ").Append(Markup.Html(figure)).Append("</caption>\n")
                .Append("<thead><tr><th scope=\"col\">Author</th><th scope=\"col\" class=\"num\">").Append(Markup.Html(figure))
                .Append("</th><th scope=\"col\" class=\"num\">Papers</th><th scope=\"col\">Category</th></tr></thead>\n<tbody>");
            foreach (var entry in entries)
            {
                html.Append("<tr><td><a href=\"").Append(Markup.Html(Markup.ProfileHref(entry.AuthorId))).Append("\">").Append(Markup.Html(entry.Name)).Append("</a></td>")
                    .Append("<td class=\"num\">").Append(Markup.Count(entry.Value)).Append("</td><td class=\"num\">").Append(Markup.Count(entry.PaperCount)).Append("</td>")
                    .Append("<td>").Append(Markup.Html(entry.PrimaryCategory)).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        var api = "/api/profiles?" + (string.IsNullOrWhiteSpace(category) ? "" : "category=" + Uri.EscapeDataString(category) + "&") + "sort=" + sort;
        html.Append("<nav class=\"pager\" aria-label=\"Result pages\">");
        if (!firstPage)
        {
            html.Append("<a href=\"").Append(Markup.Html(Href(category, sort, null))).Append("\">First page</a>");
        }

        if (nextCursor is not null)
        {
            html.Append("<a rel=\"next\" href=\"").Append(Markup.Html(Href(category, sort, nextCursor))).Append("\">More authors</a>");
        }

        html.Append("</nav>\n<p class=\"meta\">The same as JSON: <a href=\"").Append(Markup.Html(api)).Append("\">").Append(Markup.Html(api)).Append("</a>.</p>\n");
        return PageShell.Render("Leading authors by " + figure + " · " + name, html.ToString());
    }
}

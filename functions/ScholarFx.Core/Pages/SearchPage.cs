using System.Globalization;
using System.Text;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The search page <c>GET /profiles?q=</c>: authors whose name has words starting with the query's words, paged with the
/// API's cursors; without a query, how to search; a query the API refuses shows why.
/// </summary>
internal static class SearchPage
{
    /// <summary>The page's HTML.</summary>
    public static string Render(string? query, IReadOnlyList<NameHit> hits, string? nextCursor, string? problem)
    {
        var html = new StringBuilder(4_096);
        html.Append("<h1>Find an author</h1>\n");
        if (string.IsNullOrWhiteSpace(query))
        {
            html.Append("<p>Type the start of any words of a name in the search box above, for example <a href=\"/profiles?q=ada+lov\">ada lov</a>.</p>\n");
            return PageShell.Render("Find an author", html.ToString());
        }

        if (problem is not null)
        {
            html.Append("<p role=\"alert\">").Append(Markup.Html(problem)).Append("</p>\n");
            return PageShell.Render("Find an author", html.ToString(), query);
        }

        html.Append("<p class=\"sub\" role=\"status\">").Append(hits.Count == 0 ? "No author" : hits.Count == 1 ? "One author" : hits.Count.ToString(CultureInfo.InvariantCulture) + " authors")
            .Append(nextCursor is null ? "" : " on this page").Append(" matching “").Append(Markup.Html(query)).Append("”.</p>\n<ol class=\"papers\">");
        foreach (var hit in hits)
        {
            html.Append("<li><div class=\"title\"><a href=\"").Append(Markup.Html(Markup.ProfileHref(hit.Id))).Append("\">").Append(Markup.Html(hit.Name)).Append("</a></div>")
                .Append("<div class=\"meta\">").Append(hit.PaperCount).Append(hit.PaperCount == 1 ? " paper" : " papers");
            if (hit.PrimaryCategory is { Length: > 0 } category)
            {
                html.Append(" · ").Append(Markup.Html(category));
            }

            html.Append("</div></li>\n");
        }

        html.Append("</ol>\n");
        if (nextCursor is not null)
        {
            html.Append("<nav class=\"pager\" aria-label=\"Result pages\"><a rel=\"next\" href=\"")
                .Append(Markup.Html("/profiles?q=" + Uri.EscapeDataString(query) + "&cursor=" + Uri.EscapeDataString(nextCursor))).Append("\">More authors</a></nav>\n");
        }

        return PageShell.Render("Authors matching " + query, html.ToString(), query);
    }
}

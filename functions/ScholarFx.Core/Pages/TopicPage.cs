using System.Globalization;
using System.Text;
using ScholarFx.Core.Discovery;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The page of authors by topic <c>GET /profiles?topic=</c>: the authors <c>GET /api/profiles?topic=</c> ranks, each
/// with the papers that put them there; without a topic, the form; a topic the API refuses shows why.
/// </summary>
internal static class TopicPage
{
    /// <summary>The page's HTML.</summary>
    public static string Render(string? topic, TopicAuthorsView? found, string? problem)
    {
        var html = new StringBuilder(8_192);
        html.Append("<h1>Authors by topic</h1>\n")
            .Append("<form class=\"ask\" role=\"search\" aria-label=\"Authors by topic\" action=\"/profiles\" method=\"get\"><label for=\"topic-q\">Topic</label>")
            .Append("<input id=\"topic-q\" name=\"topic\" type=\"search\" autocomplete=\"off\" value=\"").Append(Markup.Html(topic)).Append("\">")
            .Append("<button type=\"submit\">Search topics</button></form>\n");
        if (string.IsNullOrWhiteSpace(topic))
        {
            html.Append("<p>Describe a topic in a few words, for example <a href=\"/profiles?topic=graph+neural+networks\">graph neural networks</a>: the authors whose papers are closest to it come first.</p>\n");
            return PageShell.Render("Authors by topic", html.ToString());
        }

        if (problem is not null || found is null)
        {
            html.Append("<p role=\"alert\">").Append(Markup.Html(problem ?? "No answer.")).Append("</p>\n");
            return PageShell.Render("Authors by topic", html.ToString());
        }

        var count = found.Authors.Count;
        html.Append("<p class=\"sub\" role=\"status\">").Append(count == 0 ? "No author" : count == 1 ? "One author" : count.ToString(CultureInfo.InvariantCulture) + " authors")
            .Append(" working on “").Append(Markup.Html(topic)).Append("”, closest first.</p>\n<ol class=\"papers\">");
        foreach (var author in found.Authors)
        {
            html.Append("<li><div class=\"title\"><a href=\"").Append(Markup.Html(Markup.ProfileHref(author.Id))).Append("\">").Append(Markup.Html(author.Name)).Append("</a></div>")
                .Append("<div class=\"meta\">closeness ").Append(author.Score.ToString("0.00", CultureInfo.InvariantCulture)).Append(" · ")
                .Append(author.Papers.ToString(CultureInfo.InvariantCulture)).Append(author.Papers == 1 ? " paper" : " papers").Append(" among the nearest</div>\n<ul class=\"plain\">");
            foreach (var paper in author.Closest)
            {
                html.Append("<li><a href=\"").Append(Markup.Html(Markup.PaperHref(paper.Id))).Append("\">").Append(Markup.Html(paper.Title is { Length: > 0 } title ? title : paper.Id)).Append("</a> ")
                    .Append("<span class=\"meta\">").Append(Markup.Html(paper.Published));
                if (paper.Category is { Length: > 0 } category)
                {
                    html.Append(" · ").Append(Markup.Html(category));
                }

                html.Append(" · similarity ").Append(paper.Similarity.ToString("0.00", CultureInfo.InvariantCulture)).Append("</span></li>");
            }

            html.Append("</ul></li>\n");
        }

        html.Append("</ol>\n<p class=\"meta\">Ranked by ").Append(Markup.Html(found.Rule)).Append("; measured with ").Append(Markup.Html(found.Model))
            .Append(". The same as JSON: <a href=\"").Append(Markup.Html("/api/profiles?topic=" + Uri.EscapeDataString(topic))).Append("\">/api/profiles?topic=</a>.</p>\n");
        return PageShell.Render("Authors working on " + topic, html.ToString());
    }
}

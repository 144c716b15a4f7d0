using System.Globalization;
using System.Text;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The paper page <c>GET /papers/{paperId}</c>: title, authors linked to their profiles, category, date, citations and
/// their source, the abstract, and the three scores with their explanations in full. Every value is escaped.
/// </summary>
internal static class PaperPage
{
    /// <summary>The page's HTML.</summary>
    public static string Render(PaperView paper)
    {
        var html = new StringBuilder(8_192);
        html.Append("<article aria-labelledby=\"paper-title\"><h1 id=\"paper-title\">").Append(Markup.Html(paper.Title)).Append("</h1>\n");
        if (paper.Retracted)
        {
            html.Append("<p><strong>Retracted</strong>").Append(paper.RetractedAt is { } at ? " (" + at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")" : "")
                .Append(": listed apart in its authors' profiles and counted in none of their figures.</p>");
        }

        PaperMarkup.Meta(html, paper.Category, paper.Published, paper.Citations);
        html.Append("<p>");
        PaperMarkup.Authors(html, paper.Authors);
        html.Append("</p>\n<dl class=\"meta\">");
        Fact(html, "Categories", string.Join(", ", paper.Categories));
        if (paper.CitationsSource is { } source)
        {
            Fact(html, "Citations from", source + (paper.CitationsAsOf is { } asOf ? ", as of " + asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : ""));
        }

        Fact(html, "Ids", string.Join(", ", paper.Aliases.Prepend(paper.Id).Distinct(StringComparer.Ordinal)));
        Fact(html, "Sources", string.Join(", ", paper.Sources));
        html.Append("</dl>\n");
        html.Append("<section aria-labelledby=\"abstract\"><h2 id=\"abstract\">Abstract</h2><p>").Append(Markup.Html(paper.Abstract)).Append("</p></section>\n");
        html.Append("<section aria-labelledby=\"novelty\"><h2 id=\"novelty\">Novelty ").Append(Markup.Score(paper.Novelty)).Append("</h2>");
        PaperMarkup.Novelty(html, paper.NoveltyExplanation);
        html.Append("</section>\n<section aria-labelledby=\"ai\"><h2 id=\"ai\">AI score ").Append(Markup.Score(paper.AiScore)).Append("</h2>");
        PaperMarkup.Ai(html, paper.AiAssessment);
        html.Append("</section>\n<section aria-labelledby=\"pioneer\"><h2 id=\"pioneer\">Pioneer ").Append(Markup.Score(paper.Pioneer)).Append("</h2>");
        PaperMarkup.Pioneer(html, paper.PioneerExplanation);
        html.Append("</section>\n<p class=\"meta\">The same paper as JSON: <a href=\"/api/papers/").Append(Markup.Html(Markup.Segment(paper.Id))).Append("\">API</a>.</p></article>\n");
        return PageShell.Render(paper.Title, html.ToString());
    }

    private static void Fact(StringBuilder html, string label, string value)
    {
        if (value.Length > 0)
        {
            html.Append("<div><dt>").Append(label).Append("</dt><dd>").Append(Markup.Html(value)).Append("</dd></div>");
        }
    }
}

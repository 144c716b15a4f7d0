using System.Globalization;
using System.Text;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Pages;

/// <summary>
/// A paper as pages show it: in a list (title, category, date, authors linked to their profiles, its scores, the abstract
/// and each score's explanation one click away in <c>&lt;details&gt;</c>) and the explanations themselves — the nearest
/// earlier papers with their similarity for novelty, the assessor's summary, rationale and rubric for the AI score.
/// </summary>
internal static class PaperMarkup
{
    /// <summary>
    /// One list item. <paramref name="full"/> (the paper's record, when it could be read) gives the abstract, the
    /// authors' resolved profiles and the explanations; without it the item links to the paper page for them.
    /// </summary>
    public static void Item(StringBuilder html, PaperSummaryView paper, PaperView? full)
    {
        html.Append("<li>");
        html.Append("<div class=\"title\"><a href=\"").Append(Markup.Html(Markup.PaperHref(paper.Id))).Append("\">").Append(Markup.Html(paper.Title)).Append("</a></div>");
        Meta(html, paper.Category, paper.Published, paper.Citations);
        html.Append("<div class=\"authors\">");
        if (full is not null)
        {
            Authors(html, full.Authors);
        }
        else
        {
            Authors(html, [.. paper.Authors.Select(name => new PaperAuthorView(name, AuthorKey.FromName(name), null, ""))], paper.AuthorCount);
        }

        html.Append("</div>");
        Scores(html, paper.Novelty, paper.AiScore, paper.Pioneer, full);
        if (full is not null)
        {
            html.Append("<details><summary>Abstract</summary><p>").Append(Markup.Html(full.Abstract)).Append("</p></details>");
            html.Append("<details><summary>Why this novelty</summary>");
            Novelty(html, full.NoveltyExplanation);
            html.Append("</details><details><summary>Why this AI score</summary>");
            Ai(html, full.AiAssessment);
            html.Append("</details><details><summary>Who followed it (pioneer)</summary>");
            Pioneer(html, full.PioneerExplanation);
            html.Append("</details>");
        }

        html.Append("</li>\n");
    }

    /// <summary>Category, date and citations of a paper.</summary>
    public static void Meta(StringBuilder html, string? category, string published, int? citations)
    {
        html.Append("<div class=\"meta\">");
        if (category is { Length: > 0 })
        {
            html.Append("<span>").Append(Markup.Html(category)).Append("</span> · ");
        }

        html.Append("<time datetime=\"").Append(Markup.Html(published)).Append("\">").Append(Markup.Html(published)).Append("</time>");
        if (citations is { } c)
        {
            html.Append(" · ").Append(Markup.Count(c)).Append(c == 1 ? " citation" : " citations");
        }

        html.Append("</div>");
    }

    /// <summary>The authors, each linked to their profile page; "and N more" when the list was cut.</summary>
    public static void Authors(StringBuilder html, IReadOnlyList<PaperAuthorView> authors, int? count = null)
    {
        html.Append("by ");
        for (var i = 0; i < authors.Count; i++)
        {
            if (i > 0)
            {
                html.Append(", ");
            }

            html.Append("<a href=\"").Append(Markup.Html(Markup.ProfileHref(authors[i].Id))).Append("\">").Append(Markup.Html(authors[i].Name)).Append("</a>");
        }

        if (count is { } total && total > authors.Count)
        {
            html.Append(CultureInfo.InvariantCulture, $" and {total - authors.Count} more");
        }
    }

    private static void Scores(StringBuilder html, double? novelty, double? ai, double? pioneer, PaperView? full)
    {
        var provisional = full?.NoveltyExplanation.Provisional == true || full?.AiAssessment.Provisional == true;
        html.Append("<div class=\"scores\"><span>Novelty <strong>").Append(Markup.Score(novelty)).Append("</strong></span>")
            .Append("<span>AI score <strong>").Append(Markup.Score(ai)).Append("</strong></span>")
            .Append("<span>Pioneer <strong>").Append(Markup.Score(pioneer)).Append("</strong></span>");
        if (provisional)
        {
            html.Append("<span>(provisional: waiting for earlier papers to settle)</span>");
        }

        html.Append("</div>");
    }

    /// <summary>The novelty explanation: value or why there is none, the nearest earlier papers and how it was computed.</summary>
    public static void Novelty(StringBuilder html, NoveltyExplanationView e)
    {
        html.Append("<p>");
        html.Append(e.Value is { } v ? $"Novelty {Markup.Score(v)}: the percentile of this paper's raw novelty among {Reference(e.Reference)}." : "No novelty: " + Markup.Html(e.Reason ?? "not computed") + ".");
        html.Append("</p>");
        if (e.Raw is { } raw)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Raw value {raw:0.####} (nearest distance {e.NearestDistance:0.####}, neighbourhood distance {e.NeighbourhoodDistance:0.####}, k = {e.K}).</p>");
        }

        if (e.Definition is { Length: > 0 } definition)
        {
            html.Append("<p class=\"meta\">").Append(Markup.Html(definition)).Append("</p>");
        }

        if (e.Neighbours.Count > 0)
        {
            html.Append("<table><caption class=\"meta\">Nearest earlier papers</caption><thead><tr><th scope=\"col\">Paper</th><th scope=\"col\">Published</th><th scope=\"col\" class=\"num\">Similarity</th></tr></thead><tbody>");
            foreach (var n in e.Neighbours)
            {
                html.Append("<tr><td><a href=\"").Append(Markup.Html(Markup.PaperHref(n.Id))).Append("\">").Append(Markup.Html(n.Title ?? n.Id)).Append("</a></td><td>")
                    .Append(Markup.Html(n.Published)).Append("</td><td class=\"num\">").Append(n.Similarity.ToString("0.000", CultureInfo.InvariantCulture)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        Model(html, e.Model, e.Version);
    }

    /// <summary>The AI assessment: value or why there is none, the summary, rationale and rubric, how the raw score was made.</summary>
    public static void Ai(StringBuilder html, AiAssessmentView e)
    {
        html.Append("<p>");
        html.Append(e.Value is { } v ? $"AI score {Markup.Score(v)}: the percentile of this paper's raw assessment among {Reference(e.Reference)}." : "No AI score: " + Markup.Html(e.Reason ?? "not assessed") + ".");
        html.Append("</p>");
        if (e.Summary is { Length: > 0 } summary)
        {
            html.Append("<p><strong>Summary.</strong> ").Append(Markup.Html(summary)).Append("</p>");
        }

        if (e.Rationale is { Length: > 0 } rationale)
        {
            html.Append("<p><strong>Rationale.</strong> ").Append(Markup.Html(rationale)).Append("</p>");
        }

        if (e.Rubric is { } r)
        {
            html.Append("<table><caption class=\"meta\">Rubric (0–10)</caption><tbody>")
                .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Significance</th><td class=\"num\">{r.Significance:0.#}</td></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Evidence</th><td class=\"num\">{r.Evidence:0.#}</td></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Clarity</th><td class=\"num\">{r.Clarity:0.#}</td></tr>")
                .Append("</tbody></table>");
        }

        if (e.Raw is { } raw)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Raw score {raw:0.###}");
            if (e.SignificanceFactor is { } factor)
            {
                html.Append(CultureInfo.InvariantCulture, $" (significance scaled by {factor:0.###} for nearness to earlier work)");
            }

            html.Append(".</p>");
        }

        Model(html, e.Model, e.PromptVersion);
    }

    /// <summary>The pioneer explanation: value or why there is none, the later papers that followed the paper, and how it was computed.</summary>
    public static void Pioneer(StringBuilder html, PioneerExplanationView e)
    {
        html.Append("<p>");
        html.Append(e.Value is { } v ? $"Pioneer {Markup.Score(v)}: the percentile of how strongly later papers followed this one among {Reference(e.Reference)}." : "No pioneer value: " + Markup.Html(e.Reason ?? "not computed") + ".");
        html.Append("</p>");
        if (e.LaterPapers is { } later)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{Markup.Count(later)} later papers in its window ({e.LagDays} to {e.WindowDays} days after it), {Markup.Count(e.FollowerCount ?? 0)} of which had it among their {e.K} nearest earlier papers");
            html.Append(e.Raw is { } raw ? string.Create(CultureInfo.InvariantCulture, $"; credit {e.Credit:0.###}, raw value {raw:0.######}.") : ".").Append("</p>");
        }

        if (e.VersionOf is { } root)
        {
            html.Append("<p>A version of <a href=\"").Append(Markup.Html(Markup.PaperHref(root))).Append("\">").Append(Markup.Html(root)).Append("</a>: the papers that followed it are credited there.</p>");
        }

        if (e.Definition is { Length: > 0 } definition)
        {
            html.Append("<p class=\"meta\">").Append(Markup.Html(definition)).Append("</p>");
        }

        if (e.Followers.Count > 0)
        {
            html.Append("<table><caption class=\"meta\">Later papers that followed it</caption><thead><tr><th scope=\"col\">Paper</th><th scope=\"col\">Published</th><th scope=\"col\" class=\"num\">Rank</th><th scope=\"col\" class=\"num\">Similarity</th></tr></thead><tbody>");
            foreach (var f in e.Followers)
            {
                html.Append("<tr><td><a href=\"").Append(Markup.Html(Markup.PaperHref(f.Id))).Append("\">").Append(Markup.Html(f.Title ?? f.Id)).Append("</a></td><td>")
                    .Append(Markup.Html(f.Published)).Append("</td><td class=\"num\">").Append(f.Rank.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"num\">").Append(f.Similarity.ToString("0.000", CultureInfo.InvariantCulture)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        Model(html, e.Model, e.Version);
    }

    private static string Reference(Scoring.ReferenceSet? reference) => reference is null
        ? "earlier papers"
        : Markup.Html(reference.Size.ToString("N0", CultureInfo.InvariantCulture) + " papers (" + reference.Set
            + (reference.Category is { } c ? ", " + c : "") + (reference.WindowDays is { } d ? $", the {d} days before it" : "") + ")");

    private static void Model(StringBuilder html, string? model, string? version)
    {
        if (model is not null)
        {
            html.Append("<p class=\"meta\">Model ").Append(Markup.Html(model));
            if (version is not null)
            {
                html.Append(", version ").Append(Markup.Html(version));
            }

            html.Append(".</p>");
        }
    }
}

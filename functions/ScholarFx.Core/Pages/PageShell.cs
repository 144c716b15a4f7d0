using System.Text;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The frame every page shares: landmarks (banner with the site search, main, contentinfo), a skip link, a viewport
/// for phones and one small stylesheet inline (no scripts, no framework, nothing fetched besides the page). Colours keep
/// at least 4.5:1 contrast on their background; links are underlined and focus is outlined.
/// </summary>
internal static class PageShell
{
    /// <summary>
    /// The page: <paramref name="title"/> (HTML-escaped here) and the main content (already markup);
    /// <paramref name="feedHref"/> announces an Atom feed to feed readers.
    /// </summary>
    public static string Render(string title, string main, string? searchQuery = null, string? feedHref = null)
    {
        var page = new StringBuilder(main.Length + 4096);
        page.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Markup.Html(title)).Append(" · ScholarFx</title>\n")
            .Append(feedHref is null ? "" : "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Papers feed\" href=\"" + Markup.Html(feedHref) + "\">\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
            .Append("<header><nav aria-label=\"Site\"><a class=\"brand\" href=\"/\">ScholarFx</a>")
            .Append("<form role=\"search\" action=\"/profiles\" method=\"get\"><label for=\"site-q\">Find an author</label>")
            .Append("<input id=\"site-q\" name=\"q\" type=\"search\" autocomplete=\"off\" value=\"").Append(Markup.Html(searchQuery)).Append("\">")
            .Append("<button type=\"submit\">Search</button></form></nav></header>\n")
            .Append("<main id=\"main\">\n").Append(main).Append("</main>\n")
            .Append("<footer><p>Scores are explained on each paper. The same data as JSON: <a href=\"/api/health\">API</a>, described in <a href=\"/api/openapi.json\">OpenAPI</a>.</p></footer>\n")
            .Append("</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>The one stylesheet, inline; the pages' Content-Security-Policy allows it by its hash (<see cref="PageSecurity"/>).</summary>
    internal const string Style =
        "*{box-sizing:border-box}" +
        "body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1a1a1a;background:#fff}" +
        "a{color:#0b57a4}a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #b35900;outline-offset:2px}" +
        ".skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}" +
        "header{background:#0d2b45;color:#fff;padding:8px 16px}header nav{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;max-width:960px;margin:0 auto}" +
        ".brand{color:#fff;font-weight:700;text-decoration:none;font-size:1.15rem}" +
        "header form{display:flex;gap:6px;align-items:center;flex-wrap:wrap}header label{font-size:.9rem}" +
        "input[type=search]{font:inherit;padding:4px 8px;border:1px solid #767676;border-radius:4px;min-width:12rem}" +
        "button{font:inherit;padding:4px 12px;border:1px solid #0b57a4;background:#0b57a4;color:#fff;border-radius:4px;cursor:pointer}" +
        "main{max-width:960px;margin:0 auto;padding:16px}footer{max-width:960px;margin:0 auto;padding:16px;color:#4d4d4d;font-size:.9rem}" +
        "h1{margin:.2em 0;font-size:1.8rem;line-height:1.2}h2{font-size:1.25rem;margin:1.5em 0 .5em}" +
        ".sub{color:#4d4d4d;margin:0 0 1em}" +
        ".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:8px;margin:0;padding:0}" +
        ".figures div{border:1px solid #d0d0d0;border-radius:6px;padding:8px}.figures dt{font-size:.85rem;color:#4d4d4d}.figures dd{margin:0;font-size:1.4rem;font-weight:600}" +
        ".chart svg{max-width:100%;height:auto}" +
        "ul.plain{list-style:none;padding:0;margin:0}ul.inline{display:flex;flex-wrap:wrap;gap:4px 16px}" +
        "ol.papers{list-style:none;padding:0;margin:0}ol.papers>li{border-top:1px solid #d0d0d0;padding:12px 0}" +
        ".meta{color:#4d4d4d;font-size:.9rem}.title{font-size:1.05rem;font-weight:600}" +
        ".scores{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.95rem}" +
        "details{margin:.3em 0}summary{cursor:pointer;color:#0b57a4}" +
        "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e0e0e0;vertical-align:top}" +
        "td.num,th.num{text-align:right}" +
        ".pager{display:flex;gap:16px;margin:16px 0}" +
        "form.ask{display:flex;flex-wrap:wrap;gap:6px 8px;align-items:center;margin:.6em 0}form.ask label{min-width:5rem;font-weight:600}" +
        ".lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:0 24px}h3{font-size:1.05rem;margin:1em 0 .3em}" +
        "ol.leaders{margin:0;padding-left:1.6em}ol.leaders li{margin:.2em 0}caption{text-align:left;padding:4px 6px}" +
        "pre{white-space:pre-wrap;background:#f4f4f4;padding:8px;border-radius:4px;font-size:.85rem;overflow-wrap:anywhere}" +
        "@media (max-width:600px){h1{font-size:1.45rem}main{padding:12px}input[type=search]{min-width:0;width:10rem}}";
}

namespace ScholarFx.Core.Pages;

/// <summary>What a page, badge or feed request answers: a status, the body and its type, or where it moved.</summary>
public sealed record PageResult(int Status, string Body, string ContentType, string? Location = null)
{
    public const string Html = "text/html; charset=utf-8";
    public const string Svg = "image/svg+xml; charset=utf-8";
    public const string Atom = "application/atom+xml; charset=utf-8";

    /// <summary>When a refused request (429) may be tried again; sent as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A 200 with this body.</summary>
    public static PageResult Ok(string body, string contentType) => new(200, body, contentType);

    /// <summary>A 301 to where the author's profile now is (a merged id), as the JSON profile answers.</summary>
    public static PageResult Moved(string location) => new(301, "", Html, location);

    /// <summary>An HTML page saying what went wrong (404, 400), in the site's frame.</summary>
    public static PageResult Problem(int status, string title, string detail) =>
        new(status, PageShell.Render(title, "<h1>" + Markup.Html(title) + "</h1>\n<p>" + Markup.Html(detail) + "</p>\n"), Html);
}

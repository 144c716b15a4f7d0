using System.Security.Cryptography;
using System.Text;

namespace ScholarFx.Core.Pages;

/// <summary>
/// What a browser may do with what ScholarFx serves (the <c>Content-Security-Policy</c> of each kind of response). The
/// pages use no scripts, one inline stylesheet (allowed by its hash), images from the site itself and one search form;
/// the badge is an SVG image that embeds nothing; everything else (JSON, feeds, errors) needs no resource at all.
/// </summary>
public static class PageSecurity
{
    private static readonly string StyleHash =
        "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(PageShell.Style))) + "'";

    /// <summary>The policy of an HTML page: nothing but its own stylesheet, same-site images and the search form; never framed.</summary>
    public static readonly string Page =
        $"default-src 'none'; style-src {StyleHash}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The policy of anything that is not a page or a badge: no resource, no framing.</summary>
    public const string None = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>The policy for a response of <paramref name="contentType"/>; a badge may be framed by <paramref name="badgeFrameAncestors"/>.</summary>
    public static string For(string contentType, string badgeFrameAncestors) =>
        contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ? Page
        : contentType.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase) ? $"default-src 'none'; frame-ancestors {badgeFrameAncestors}"
        : None;
}

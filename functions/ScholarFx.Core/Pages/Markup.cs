using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace ScholarFx.Core.Pages;

/// <summary>
/// Escaping for every value from ingested files that goes into a page, badge or feed. HTML text and attribute values
/// (always double-quoted) are HTML-encoded; XML text (SVG, Atom) is XML-escaped. Characters XML 1.0 forbids (control
/// characters a file may carry) are dropped from both, so a page or feed always parses.
/// </summary>
internal static class Markup
{
    /// <summary>Text or a double-quoted attribute value in HTML.</summary>
    public static string Html(string? value) => WebUtility.HtmlEncode(Clean(value));

    /// <summary>Text or a double-quoted attribute value in XML (SVG, Atom).</summary>
    public static string Xml(string? value)
    {
        var clean = Clean(value);
        var text = new StringBuilder(clean.Length);
        foreach (var c in clean)
        {
            text.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&apos;",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    /// <summary>A path segment of a link (a profile or paper id), percent-encoded.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>The link to a profile page.</summary>
    public static string ProfileHref(string authorId) => "/profiles/" + Segment(authorId);

    /// <summary>The link to a paper page.</summary>
    public static string PaperHref(string paperId) => "/papers/" + Segment(paperId);

    /// <summary>A score shown to people: one decimal at most, "–" for none.</summary>
    public static string Score(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : "–";

    /// <summary>A whole number with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The value without the characters XML 1.0 cannot carry (unpaired surrogates, most control characters).</summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var ok = true;
        for (var i = 0; i < value.Length && ok; i++)
        {
            ok = IsXmlChar(value, i, out var width);
            i += width - 1;
        }

        if (ok)
        {
            return value;
        }

        var kept = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (IsXmlChar(value, i, out var width))
            {
                kept.Append(value, i, width);
            }

            i += width - 1;
        }

        return kept.ToString();
    }

    private static bool IsXmlChar(string value, int i, out int width)
    {
        width = 1;
        if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
        {
            width = 2;
            return true;
        }

        return XmlConvert.IsXmlChar(value[i]);
    }
}

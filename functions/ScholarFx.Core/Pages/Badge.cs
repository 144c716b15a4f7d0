using System.Globalization;
using System.Text;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The badge <c>GET /api/profiles/{authorId}/badge.svg</c>: one line, "ScholarFx" then the name, h-index, Novelty % and
/// AI score, in the flat style of README badges; widths from the text's length (Verdana and DejaVu Sans at 11 px average about 6 px a
/// character), long names cut. Escaped as XML; a title and label for screen readers.
/// </summary>
internal static class Badge
{
    /// <summary>Longest name shown; longer ones end in an ellipsis.</summary>
    public const int MaxNameChars = 32;

    private const double CharWidth = 6.1;
    private const int Padding = 8;

    /// <summary>The SVG document.</summary>
    public static string Svg(ProfileView profile)
    {
        var name = Markup.Clean(profile.Name);
        if (name.Length > MaxNameChars)
        {
            name = name[..(MaxNameChars - 1)].TrimEnd() + "…";
        }

        const string label = "ScholarFx";
        var value = string.Create(CultureInfo.InvariantCulture, $"{name} · h {profile.HIndex} · novelty {Percent(profile.Novelty)} · AI {profile.AiScore?.ToString(CultureInfo.InvariantCulture) ?? "–"}");
        var left = Width(label);
        var right = Width(value);
        var total = left + right;
        var text = Markup.Xml(value);
        var svg = new StringBuilder(1_024);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" viewBox=\"0 0 {total} 20\" role=\"img\" aria-label=\"{label}: {text}\">")
            .Append("<title>").Append(label).Append(": ").Append(text).Append("</title>")
            .Append("<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>")
            .Append(CultureInfo.InvariantCulture, $"<clipPath id=\"r\"><rect width=\"{total}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>")
            .Append(CultureInfo.InvariantCulture, $"<g clip-path=\"url(#r)\"><rect width=\"{left}\" height=\"20\" fill=\"#0d2b45\"/><rect x=\"{left}\" width=\"{right}\" height=\"20\" fill=\"#0b57a4\"/><rect width=\"{total}\" height=\"20\" fill=\"url(#s)\"/></g>")
            .Append("<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left / 2.0:0.#}\" y=\"14\">{label}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (right / 2.0):0.#}\" y=\"14\">{text}</text></g></svg>");
        return svg.ToString();
    }

    private static string Percent(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) + "%" : "–";

    private static int Width(string text) => (int)Math.Ceiling(text.Length * CharWidth) + (2 * Padding);
}

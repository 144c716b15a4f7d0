using System.Globalization;
using System.Text;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Pages;

/// <summary>
/// Papers per year as a small bar chart in inline SVG, drawn on the server: every year from the first to the last
/// (at most the last <see cref="MaxYears"/>), a bar and its count per year, and the same numbers as the chart's text
/// alternative for screen readers.
/// </summary>
internal static class YearChart
{
    /// <summary>Most years drawn (the latest ones).</summary>
    public const int MaxYears = 30;

    private const int BarWidth = 28;
    private const int Gap = 6;
    private const int Height = 120;
    private const int Top = 16;
    private const int Bottom = 20;

    /// <summary>The chart, or an empty string when there are no years.</summary>
    public static string Svg(IReadOnlyList<YearFigures> years)
    {
        if (years.Count == 0)
        {
            return "";
        }

        var last = years.Max(y => y.Year);
        var first = Math.Max(years.Min(y => y.Year), last - MaxYears + 1);
        var counts = years.Where(y => y.Year >= first).ToDictionary(y => y.Year, y => y.Papers);
        var max = Math.Max(1, counts.Values.Max());
        var n = last - first + 1;
        var width = (n * (BarWidth + Gap)) + Gap;
        var total = Height + Top + Bottom;
        var text = string.Join(", ", Enumerable.Range(first, n).Select(y => $"{y}: {counts.GetValueOrDefault(y)}"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" width=\"{width}\" height=\"{total}\" viewBox=\"0 0 {width} {total}\">")
            .Append("<title id=\"chart-title\">Papers per year</title>")
            .Append("<desc id=\"chart-desc\">").Append(Markup.Xml(text)).Append("</desc>");
        for (var i = 0; i < n; i++)
        {
            var year = first + i;
            var count = counts.GetValueOrDefault(year);
            var bar = (int)Math.Round((double)count / max * Height);
            var x = Gap + (i * (BarWidth + Gap));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{Top + Height - bar}\" width=\"{BarWidth}\" height=\"{bar}\" fill=\"#0b57a4\"></rect>");
            if (count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (BarWidth / 2)}\" y=\"{Top + Height - bar - 3}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">{count}</text>");
            }

            // Every year labelled when they fit, else every other one (and always the last).
            if (n <= 12 || i % 2 == (n - 1) % 2)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (BarWidth / 2)}\" y=\"{total - 5}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#4d4d4d\">{(n <= 12 ? year.ToString(CultureInfo.InvariantCulture) : "’" + (year % 100).ToString("D2", CultureInfo.InvariantCulture))}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }
}

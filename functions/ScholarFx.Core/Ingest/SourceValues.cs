using System.Text.RegularExpressions;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>Value clean-ups every source format needs: text on one line, ORCID iDs, arXiv ids hidden in links and DOIs.</summary>
internal static partial class SourceValues
{
    /// <summary>Text with its line breaks and runs of spaces collapsed (feeds wrap titles and abstracts); null when blank.</summary>
    public static string? Text(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        // Made valid here too (the same string back when it is): ids and dates go through here without LatexText.
        var text = AuthorKey.CollapseWhitespace(ValidText.Clean(raw));
        return text.Length == 0 ? null : text;
    }

    /// <summary>A bare ORCID iD (<c>0000-0002-1825-0097</c>) from the iD or its <c>https://orcid.org/</c> link; null when blank.</summary>
    public static string? Orcid(string? raw)
    {
        var text = Text(raw);
        if (text is null)
        {
            return null;
        }

        var slash = text.LastIndexOf('/');
        var id = slash >= 0 && text.Contains("orcid.org/", StringComparison.OrdinalIgnoreCase) ? text[(slash + 1)..] : text;
        return id.ToUpperInvariant();
    }

    /// <summary>The arXiv id of an arXiv abstract or PDF link (<c>https://arxiv.org/abs/2101.00001v2</c>), else null.</summary>
    public static string? ArxivIdFromUrl(string? url)
    {
        var match = url is null ? null : ArxivUrl().Match(url);
        return match is { Success: true } ? match.Groups["id"].Value : null;
    }

    /// <summary>The arXiv id of an arXiv-minted DOI (<c>10.48550/arXiv.2101.00001</c>), else null.</summary>
    public static string? ArxivIdFromDoi(string? doi)
    {
        var match = doi is null ? null : ArxivDoi().Match(doi);
        return match is { Success: true } ? match.Groups["id"].Value : null;
    }

    [GeneratedRegex(@"arxiv\.org/(?:abs|pdf)/(?<id>[a-z\-\.]*/?\d{4,7}(?:\.\d{4,5})?(?:v\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivUrl();

    [GeneratedRegex(@"^(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.(?<id>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivDoi();
}

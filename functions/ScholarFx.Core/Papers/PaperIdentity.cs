using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ScholarFx.Core.Papers;

/// <summary>
/// Paper identifiers: <c>{scheme}:{value}</c> for the schemes below, each normalised so that two
/// sources writing the same id differently agree. The order of <see cref="Schemes"/> is the order
/// of preference when a paper gets its canonical id.
/// </summary>
public static partial class PaperIdentity
{
    /// <summary>Schemes in order of preference; <c>title</c> (a hash of title, year and first author) comes last.</summary>
    public static readonly IReadOnlyList<string> Schemes = ["arxiv", "doi", "openalex", "s2", "sfx", "title"];

    /// <summary>arXiv id without version: <c>2303.11698v2</c> → <c>arxiv:2303.11698</c>; old style <c>hep-th/9901001</c> kept.</summary>
    public static string? Arxiv(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.Trim();
        value = StripPrefix(value, "https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv.org/abs/", "arxiv:");
        value = ArxivVersion().Replace(value, "");
        return value.Length == 0 ? null : "arxiv:" + value.ToLowerInvariant();
    }

    /// <summary>DOI lower-cased without resolver prefix: <c>https://doi.org/10.1000/XYZ</c> → <c>doi:10.1000/xyz</c>.</summary>
    public static string? Doi(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = StripPrefix(raw.Trim(), "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:");
        return value.StartsWith("10.", StringComparison.Ordinal) ? "doi:" + value.ToLowerInvariant() : null;
    }

    /// <summary>OpenAlex work id: <c>https://openalex.org/W123</c> → <c>openalex:W123</c>.</summary>
    public static string? OpenAlex(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = StripPrefix(raw.Trim(), "https://openalex.org/", "http://openalex.org/", "openalex:").ToUpperInvariant();
        return value.Length > 1 && value[0] == 'W' ? "openalex:" + value : null;
    }

    /// <summary>Semantic Scholar paper id (40 hex characters), lower-cased.</summary>
    public static string? SemanticScholar(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = StripPrefix(raw.Trim(), "s2:").ToLowerInvariant();
        return value.Length == 0 ? null : "s2:" + value;
    }

    /// <summary>
    /// An id a ScholarFx JSON file gives: a known scheme is normalised as that scheme
    /// (<c>arxiv:2303.11698v1</c>, <c>doi:10.…</c>); anything else is kept under <c>sfx:</c>.
    /// </summary>
    public static string? FromGivenId(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.Trim();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var scheme = value[..colon].ToLowerInvariant();
            var rest = value[(colon + 1)..];
            var normalised = scheme switch
            {
                "arxiv" => Arxiv(rest),
                "doi" => Doi(rest),
                "openalex" => OpenAlex(rest),
                "s2" => SemanticScholar(rest),
                "sfx" => "sfx:" + rest,
                "title" => value,
                _ => null,
            };
            if (normalised is not null)
            {
                return normalised;
            }
        }

        return "sfx:" + value;
    }

    /// <summary>
    /// The fallback identity: a hash of the normalised title, the publication year and the first author's id,
    /// so the same paper from two sources without shared ids still meets.
    /// </summary>
    public static string TitleKey(string title, int year, string? firstAuthor)
    {
        var normalisedTitle = string.Join(' ', AuthorKey.Tokens(title));
        var author = firstAuthor is null ? "" : AuthorKey.FromName(firstAuthor);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{normalisedTitle}|{year}|{author}"));
        return "title:" + Convert.ToHexStringLower(hash)[..20];
    }

    /// <summary>Rank of an alias's scheme (lower is preferred).</summary>
    public static int Rank(string alias)
    {
        var colon = alias.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? alias[..colon] : alias;
        var index = Schemes.IndexOf(scheme);
        return index < 0 ? Schemes.Count : index;
    }

    /// <summary>SHA-256 (hex) of the normalised title and abstract.</summary>
    public static string ContentHash(string title, string @abstract)
    {
        var text = string.Join(' ', AuthorKey.Tokens(title)) + "\n" + string.Join(' ', AuthorKey.Tokens(@abstract));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string StripPrefix(string value, params string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return value[prefix.Length..];
            }
        }

        return value;
    }

    [GeneratedRegex(@"v\d+$", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivVersion();
}

internal static class ListExtensions
{
    public static int IndexOf<T>(this IReadOnlyList<T> list, T item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }
}

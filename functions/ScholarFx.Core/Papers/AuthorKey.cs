using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScholarFx.Core.Papers;

/// <summary>
/// Author ids and display names. "Shi, Boyu", "Boyu  Shi" and "BOYU SHI" are one author, <c>boyu-shi</c>:
/// "Family, Given" is reordered, case and diacritics are folded, and letters of every script are kept,
/// so a name written in Chinese never slugs to nothing.
/// </summary>
public static class AuthorKey
{
    /// <summary>The author id for a name as any source writes it.</summary>
    public static string FromName(string name)
    {
        var tokens = Tokens(DisplayName(name));
        if (tokens.Count > 0 && string.Join('-', tokens) is var slug && !IsOrcid(slug))
        {
            return slug;
        }

        // A name with no letters or digits at all (only punctuation) still gets a stable id; so does a "name" that is
        // an ORCID iD, which would otherwise take the profile id of that ORCID's author.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name.Trim()));
        return "author-" + Convert.ToHexStringLower(hash)[..12];
    }

    /// <summary>
    /// The family name in a name key (<see cref="FromName"/>, "Given Family" order): its last word that is not a suffix
    /// (jr, sr, ii, iii, iv); the whole key when it is one word (a name in a script without spaces).
    /// </summary>
    public static string FamilyName(string nameKey)
    {
        var words = nameKey.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return words.LastOrDefault(w => !IsSuffix(w)) ?? nameKey;
    }

    /// <summary>Name in "Given Family" order with whitespace collapsed and control characters removed.</summary>
    public static string DisplayName(string name)
    {
        var cleaned = CollapseWhitespace(name);
        var comma = cleaned.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 && cleaned.IndexOf(',', comma + 1) < 0)
        {
            var family = cleaned[..comma].Trim();
            var given = cleaned[(comma + 1)..].Trim();
            // "Smith, Jr." and similar suffixes are not a given name.
            if (given.Length > 0 && !IsSuffix(given))
            {
                cleaned = given + " " + family;
            }
        }

        return cleaned;
    }

    /// <summary>Lower-case, diacritic-free tokens of a name or a search query; letters and digits of any script.</summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        var folded = Fold(text);
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in folded.EnumerateRunes())
        {
            // Combining marks belong to their letter (Devanagari vowel signs and virama, Tamil pulli, …).
            if (Rune.IsLetterOrDigit(rune) || (current.Length > 0 && IsMark(rune)))
            {
                current.Append(rune.ToString());
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static string Fold(string text)
    {
        // Normalize throws on a lone surrogate or U+FFFE, and a search query is anyone's text.
        var decomposed = ValidText.Clean(text).Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var baseIsAlphabetic = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                // Diacritics are folded only on Latin, Greek and Cyrillic letters ("José" is jose); in other
                // scripts a mark is part of the letter and removing it changes the name.
                if (!baseIsAlphabetic)
                {
                    builder.Append(c);
                }

                continue;
            }

            baseIsAlphabetic = c < '\u0530';
            builder.Append(c);
        }

        return builder.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant()
            .Replace("ß", "ss", StringComparison.Ordinal)
            .Replace("ø", "o", StringComparison.Ordinal)
            .Replace("đ", "d", StringComparison.Ordinal)
            .Replace("ł", "l", StringComparison.Ordinal)
            .Replace("æ", "ae", StringComparison.Ordinal)
            .Replace("œ", "oe", StringComparison.Ordinal)
            // Apostrophes join a name ("O'Brien" is obrien), they do not split it.
            .Replace("'", "", StringComparison.Ordinal)
            .Replace("’", "", StringComparison.Ordinal);
    }

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>Text on one line: runs of white space and control characters become one space, none at the ends.</summary>
    internal static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Whether a text is a well-formed ORCID iD: four groups of four digits, the last character a digit or X, and that
    /// character the ISO 7064 MOD 11-2 check of the other fifteen (ORCID, "Structure of the ORCID Identifier"). An
    /// ORCID iD is also the id of the author's profile (docs/identity.md); no name slug has this shape.
    /// </summary>
    public static bool IsOrcid(string id)
    {
        if (id.Length != 19)
        {
            return false;
        }

        var total = 0;
        for (var i = 0; i < 18; i++)
        {
            if (i is 4 or 9 or 14)
            {
                if (id[i] != '-')
                {
                    return false;
                }

                continue;
            }

            if (!char.IsAsciiDigit(id[i]))
            {
                return false;
            }

            total = (total + (id[i] - '0')) * 2;
        }

        var check = (12 - (total % 11)) % 11;
        return id[18] == (check == 10 ? 'X' : (char)('0' + check));
    }

    private static bool IsSuffix(string text) =>
        text.TrimEnd('.').ToUpperInvariant() is "JR" or "SR" or "II" or "III" or "IV";
}

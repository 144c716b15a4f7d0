using System.Buffers;

namespace ScholarFx.Core.Papers;

/// <summary>
/// Text made valid Unicode before anything else handles it: a lone surrogate (half of a pair, from a JSON escape such
/// as <c>\ud800</c> or a pair split by an edit) or a noncharacter (U+FDD0–U+FDEF, and the last two code points of
/// every plane, U+FFFE, U+1FFFF, …) becomes U+FFFD. <see cref="string.Normalize()"/> throws on such text, and one
/// such character must cost one character, never a record or a file.
/// </summary>
public static class ValidText
{
    /// <summary>The replacement character, as decoders write it for bytes that are not text.</summary>
    public const char Replacement = '\uFFFD';

    // Every UTF-16 unit that may start a problem: surrogates (a pair is checked for a supplementary noncharacter)
    // and the BMP noncharacters. Searched vectorised, so valid text costs one scan and no allocation.
    private static readonly SearchValues<char> Suspects = SearchValues.Create(SuspectChars());

    /// <summary>
    /// <paramref name="text"/> with every lone surrogate and noncharacter replaced by U+FFFD (a supplementary
    /// noncharacter, two UTF-16 units, by one); the same instance when there is none.
    /// </summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstInvalid(text);
        if (first < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsNoncharacter(char.ConvertToUtf32(c, text[i + 1])))
                {
                    builder.Append(Replacement);
                }
                else
                {
                    builder.Append(c).Append(text[i + 1]);
                }

                i++;
            }
            else
            {
                builder.Append(char.IsSurrogate(c) || IsNoncharacter(c) ? Replacement : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether a code point is one of the 66 Unicode noncharacters.</summary>
    public static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>The index of the first lone surrogate or noncharacter, or -1.</summary>
    private static int FirstInvalid(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var at = text[offset..].IndexOfAny(Suspects);
            if (at < 0)
            {
                return -1;
            }

            var i = offset + at;
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsNoncharacter(char.ConvertToUtf32(c, text[i + 1])))
                {
                    return i;
                }

                // A valid pair (an emoji, a CJK extension letter): carry on after it.
                offset = i + 2;
                continue;
            }

            return i;
        }
    }

    private static char[] SuspectChars()
    {
        var chars = new List<char>();
        for (var c = 0xD800; c <= 0xDFFF; c++)
        {
            chars.Add((char)c);
        }

        for (var c = 0xFDD0; c <= 0xFDEF; c++)
        {
            chars.Add((char)c);
        }

        chars.Add('\uFFFE');
        chars.Add('\uFFFF');
        return [.. chars];
    }
}

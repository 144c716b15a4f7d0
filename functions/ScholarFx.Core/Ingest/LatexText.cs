using System.Text;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Turns the LaTeX of a BibTeX field into plain text: accents (<c>{\"o}</c> → ö, <c>\c{c}</c> → ç), special letters
/// (<c>\ss</c>, <c>{\aa}</c>), dashes (<c>--</c> → –), escaped characters (<c>\&amp;</c> → &amp;), formatting commands
/// (<c>\emph{x}</c> → x) and protective braces go; inline math (<c>$...$</c>) is kept as written.
/// </summary>
internal static class LatexText
{
    /// <summary>
    /// Deepest nesting cleaned, counting braces and commands that take a command as their argument (<c>\"\"\"o</c>);
    /// deeper groups and commands are kept as raw text rather than recursed into, so no input can exhaust the stack.
    /// </summary>
    public const int MaxDepth = 32;

    // Accent commands → the Unicode combining mark they put on the next letter.
    private static readonly Dictionary<string, char> Accents = new(StringComparer.Ordinal)
    {
        ["'"] = '\u0301', ["`"] = '\u0300', ["^"] = '\u0302', ["\""] = '\u0308', ["~"] = '\u0303', ["="] = '\u0304',
        ["."] = '\u0307', ["u"] = '\u0306', ["v"] = '\u030C', ["H"] = '\u030B', ["c"] = '\u0327', ["k"] = '\u0328',
        ["r"] = '\u030A', ["d"] = '\u0323', ["b"] = '\u0331',
    };

    private static readonly Dictionary<string, string> Letters = new(StringComparer.Ordinal)
    {
        ["ss"] = "ß", ["aa"] = "å", ["AA"] = "Å", ["ae"] = "æ", ["AE"] = "Æ", ["oe"] = "œ", ["OE"] = "Œ",
        ["o"] = "ø", ["O"] = "Ø", ["l"] = "ł", ["L"] = "Ł", ["i"] = "ı", ["j"] = "ȷ",
    };

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["LaTeX"] = "LaTeX", ["TeX"] = "TeX", ["BibTeX"] = "BibTeX", ["ldots"] = "…", ["dots"] = "…",
        ["textendash"] = "–", ["textemdash"] = "—", ["textquoteright"] = "’", ["textquoteleft"] = "‘",
        ["euro"] = "€", ["textregistered"] = "®", ["copyright"] = "©", ["S"] = "§", ["P"] = "¶",
    };

    // Longest first: "---" before "--".
    private static readonly (string Latex, string Text)[] Ligatures = [("---", "—"), ("--", "–"), ("``", "“"), ("''", "”")];

    /// <summary>The plain text of a LaTeX value, on one line; null when it has none.</summary>
    public static string? Clean(string? latex)
    {
        if (latex is null)
        {
            return null;
        }

        var text = new StringBuilder(latex.Length);
        Append(text, latex, 0);
        // Cleaned after the LaTeX, not before: an accent put on half of a surrogate pair (\'{😀}) splits the pair.
        return SourceValues.Text(ValidText.Clean(text.ToString()).Normalize(NormalizationForm.FormC));
    }

    private static void Append(StringBuilder text, string latex, int depth)
    {
        var i = 0;
        while (i < latex.Length)
        {
            var c = latex[i];
            switch (c)
            {
                case '$' when latex.IndexOf('$', i + 1) is var close and > 0:
                    // Inline math stays as the source wrote it ($x^2$): there is no plain-text form of it.
                    text.Append(latex, i, close - i + 1);
                    i = close + 1;
                    break;
                case '\\':
                    i = Command(text, latex, i + 1, depth);
                    break;
                case '{':
                    i = AppendGroup(text, latex, i, depth);
                    break;
                case '}':
                    i++;
                    break;
                case '~':
                    text.Append(' ');
                    i++;
                    break;
                default:
                    if (LigatureAt(latex, i) is { } ligature)
                    {
                        text.Append(ligature.Text);
                        i += ligature.Latex.Length;
                    }
                    else
                    {
                        text.Append(c);
                        i++;
                    }

                    break;
            }
        }
    }

    /// <summary>Appends what the command starting at <paramref name="i"/> (just after its backslash) stands for; returns where the text goes on.</summary>
    private static int Command(StringBuilder text, string latex, int i, int depth)
    {
        if (i >= latex.Length)
        {
            return i;
        }

        if (depth > MaxDepth)
        {
            // Too deep to clean: the backslash stays as written and the text goes on from the next character.
            text.Append('\\');
            return i;
        }

        var start = i;
        if (char.IsAsciiLetter(latex[i]))
        {
            while (i < latex.Length && char.IsAsciiLetter(latex[i]))
            {
                i++;
            }
        }
        else
        {
            i++;
        }

        var name = latex[start..i];
        if (Accents.TryGetValue(name, out var mark) && ((name.Length == 1 && !char.IsAsciiLetter(name[0])) || NextIsArgument(latex, i)))
        {
            var (argument, next) = Argument(latex, i, depth);
            // The accent goes on the first letter; a dotless \i or \j under an accent is the ordinary letter.
            var letter = argument is "ı" or "ȷ" ? (argument == "ı" ? "i" : "j") : argument;
            text.Append(letter.Length > 0 ? letter[0] + mark.ToString() + letter[1..] : "");
            return next;
        }

        if (Letters.TryGetValue(name, out var special))
        {
            text.Append(special);
            // TeX ends a control word at the first non-letter and swallows the spaces after it ("Stra\ss e"); {} ends it too.
            return SkipEmptyGroupOrSpaces(latex, i);
        }

        if (Words.TryGetValue(name, out var word))
        {
            text.Append(word);
            return At(latex, i, "{}") ? i + 2 : i;
        }

        if (name.Length == 1 && !char.IsAsciiLetter(name[0]))
        {
            // \& \% \$ \_ \# \{ \} are the characters; \\ and "\ " are spaces.
            text.Append(name[0] is '\\' or ' ' ? ' ' : name[0]);
            return i;
        }

        // Formatting and unknown commands (\emph, \textbf, \mathrm, \url …) keep their argument's text.
        if (i < latex.Length && latex[i] == '{')
        {
            var (argument, next) = Argument(latex, i, depth);
            text.Append(argument);
            return next;
        }

        return i;
    }

    private static bool NextIsArgument(string latex, int i) =>
        i < latex.Length && (latex[i] == '{' || (latex[i] == ' ' && i + 1 < latex.Length && char.IsLetter(latex[i + 1])));

    /// <summary>The cleaned text of the argument at <paramref name="i"/>: a braced group, a command (\i) or one character.</summary>
    private static (string Text, int Next) Argument(string latex, int i, int depth)
    {
        while (i < latex.Length && latex[i] == ' ')
        {
            i++;
        }

        if (i >= latex.Length)
        {
            return ("", i);
        }

        var inner = new StringBuilder();
        int next;
        if (latex[i] == '{')
        {
            next = AppendGroup(inner, latex, i, depth);
        }
        else if (latex[i] == '\\')
        {
            next = Command(inner, latex, i + 1, depth + 1);
        }
        else
        {
            inner.Append(latex[i]);
            next = i + 1;
        }

        return (inner.ToString(), next);
    }

    /// <summary>Appends the cleaned text of the braced group at <paramref name="open"/> (raw past <see cref="MaxDepth"/>); returns where the text goes on.</summary>
    private static int AppendGroup(StringBuilder text, string latex, int open, int depth)
    {
        var end = GroupEnd(latex, open);
        if (depth < MaxDepth)
        {
            Append(text, latex[(open + 1)..end], depth + 1);
        }
        else
        {
            text.Append(latex, open + 1, Math.Max(0, end - open - 1));
        }

        return Math.Min(end + 1, latex.Length);
    }

    /// <summary>The index of the brace closing the group opened at <paramref name="open"/> (the end of the text when it never closes).</summary>
    private static int GroupEnd(string latex, int open)
    {
        var depth = 0;
        for (var i = open; i < latex.Length; i++)
        {
            if (latex[i] == '\\')
            {
                i++;
            }
            else if (latex[i] == '{')
            {
                depth++;
            }
            else if (latex[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return latex.Length;
    }

    private static int SkipEmptyGroupOrSpaces(string latex, int i)
    {
        if (At(latex, i, "{}"))
        {
            return i + 2;
        }

        while (i < latex.Length && latex[i] == ' ')
        {
            i++;
        }

        return i;
    }

    private static (string Latex, string Text)? LigatureAt(string latex, int i)
    {
        foreach (var ligature in Ligatures)
        {
            if (At(latex, i, ligature.Latex))
            {
                return ligature;
            }
        }

        return null;
    }

    private static bool At(string text, int i, string what) => string.CompareOrdinal(text, i, what, 0, what.Length) == 0;
}

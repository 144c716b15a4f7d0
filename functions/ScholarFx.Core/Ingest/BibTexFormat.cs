using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// BibTeX (and biblatex) entries with an <c>abstract</c> field, read entry by entry. Values in braces or quotes
/// (nested braces kept until cleaning), numbers, <c>@string</c> abbreviations and <c>#</c> concatenation are read;
/// <c>@comment</c> and <c>@preamble</c> are skipped; LaTeX is cleaned to text (<see cref="LatexText"/>). Authors are
/// split on "and" and may be "Last, First", "Last, Jr, First" or "First Last". The arXiv id comes from
/// <c>eprint</c> with <c>archivePrefix = arXiv</c> (or <c>eprinttype</c>), the category from <c>primaryClass</c>,
/// ORCID iDs from <c>orcid-numbers</c> or <c>orcid</c> (<see cref="WithOrcids"/>).
/// The citation key is not an id: two files may use one key for different papers.
/// </summary>
public sealed partial class BibTexFormat : IRecordFormat
{
    /// <summary>Longest entry read (characters); a longer one is reported and skipped.</summary>
    public const int MaxEntryChars = 1024 * 1024;

    private const int MaxAbbreviations = 10_000;

    /// <summary>
    /// Most characters all <c>@string</c> abbreviations of a file may hold together: abbreviations that concatenate each
    /// other (<c>b = a # a</c>, <c>c = b # b</c>, …) double with every line, so a few hundred bytes could otherwise
    /// ask for gigabytes.
    /// </summary>
    public const int MaxAbbreviationChars = 4 * 1024 * 1024;

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <inheritdoc/>
    public string Name => "bibtex";

    /// <inheritdoc/>
    /// <remarks>A line that starts an entry (<c>@article{</c>, <c>@string(</c>, …) after optional comment text.</remarks>
    public bool Recognises(ReadOnlySpan<byte> head, string fileName)
    {
        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        if (JsonRecordStream.FirstSignificant(text) is (byte)'{' or (byte)'[' or (byte)'<')
        {
            return false;
        }

        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'\n')
            {
                lineStart = true;
            }
            else if (c is (byte)' ' or (byte)'\t' or (byte)'\r')
            {
                continue;
            }
            else if (lineStart && c == (byte)'@' && StartsBlock(text[(i + 1)..]))
            {
                return true;
            }
            else
            {
                lineStart = false;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReadItem> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(content, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var scanner = new BibTexScanner(text, MaxEntryChars);
        var abbreviations = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var month in MonthNames)
        {
            abbreviations[month[..3]] = month;
        }

        var entry = 0;
        var held = 0L;
        while (await scanner.NextAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            switch (block.Type)
            {
                case "comment" or "preamble":
                    continue;
                case "string":
                    if (Define(block, abbreviations, ref held) is { } problem)
                    {
                        yield return problem;
                    }

                    continue;
                default:
                    entry++;
                    yield return ToRecord(block, entry, abbreviations);
                    break;
            }
        }
    }

    /// <summary>
    /// The fields of an entry body (<c>key, name = value, …</c>): its key (null for <c>@string</c>) and raw LaTeX values by
    /// lower-case name. All values together expand to at most <see cref="MaxEntryChars"/> characters (abbreviations
    /// included); past that the entry is a <see cref="FormatException"/>.
    /// </summary>
    internal static (string? Key, Dictionary<string, string> Fields) Parse(string body, IReadOnlyDictionary<string, string> abbreviations, bool withKey)
    {
        var (key, i) = withKey ? Key(body) : (null, 0);
        var budget = MaxEntryChars;

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            while (i < body.Length && (char.IsWhiteSpace(body[i]) || body[i] == ','))
            {
                i++;
            }

            if (i >= body.Length)
            {
                return (key, fields);
            }

            var start = i;
            while (i < body.Length && (char.IsAsciiLetterOrDigit(body[i]) || body[i] is '_' or '-' or ':' or '.' or '+'))
            {
                i++;
            }

            var name = body[start..i];
            if (name.Length == 0)
            {
                throw new FormatException($"unexpected '{body[i]}' where a field name should be (a missing comma or brace?)");
            }

            SkipSpaces(body, ref i);
            if (i >= body.Length || body[i] != '=')
            {
                throw new FormatException($"field \"{name}\" has no '=' and value");
            }

            i++;
            var value = Value(body, ref i, name, abbreviations, budget);
            budget -= value.Length;
            fields.TryAdd(name.ToLowerInvariant(), value);
        }
    }

    /// <summary>The citation key before the first comma (null when the entry has none) and where the fields start.</summary>
    private static (string? Key, int FieldsStart) Key(string body)
    {
        var comma = body.IndexOf(',', StringComparison.Ordinal);
        var candidate = (comma < 0 ? body : body[..comma]).Trim();
        return candidate.Contains('=', StringComparison.Ordinal) ? (null, 0) : (candidate.Length == 0 ? null : candidate, comma < 0 ? body.Length : comma + 1);
    }

    private static string Value(string body, ref int i, string field, IReadOnlyDictionary<string, string> abbreviations, int budget)
    {
        var value = new StringBuilder();
        while (true)
        {
            if (value.Length > budget)
            {
                throw new FormatException($"the value of \"{field}\" expands to more than {MaxEntryChars:N0} characters with the entry's other fields (@string abbreviations concatenated into each other?)");
            }

            SkipSpaces(body, ref i);
            if (i >= body.Length)
            {
                throw new FormatException($"field \"{field}\" has no value");
            }

            var c = body[i];
            if (c is '{' or '"')
            {
                var end = Delimited(body, i);
                if (end < 0)
                {
                    throw new FormatException($"the value of \"{field}\" does not close");
                }

                value.Append(body, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                var start = i;
                while (i < body.Length && (char.IsAsciiLetterOrDigit(body[i]) || body[i] is '_' or '-' or ':' or '.'))
                {
                    i++;
                }

                var word = body[start..i];
                // An abbreviation no @string defined is kept as written, as BibTeX does after its warning.
                value.Append(char.IsAsciiDigit(c) ? word : abbreviations.GetValueOrDefault(word, word));
            }
            else
            {
                throw new FormatException($"unexpected '{c}' in the value of \"{field}\"");
            }

            SkipSpaces(body, ref i);
            if (i < body.Length && body[i] == '#')
            {
                i++;
                continue;
            }

            return value.Length <= budget ? value.ToString() : throw new FormatException($"the value of \"{field}\" expands to more than {MaxEntryChars:N0} characters with the entry's other fields (@string abbreviations concatenated into each other?)");
        }
    }

    /// <summary>The index of the delimiter closing the braced or quoted value at <paramref name="open"/>, or -1.</summary>
    private static int Delimited(string body, int open)
    {
        var depth = 0;
        for (var i = open; i < body.Length; i++)
        {
            switch (body[i])
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    if (depth == 0 && body[open] == '{')
                    {
                        return i;
                    }

                    break;
                case '"' when i > open && depth == 0 && body[open] == '"':
                    return i;
            }
        }

        return -1;
    }

    private static void SkipSpaces(string body, ref int i)
    {
        while (i < body.Length && char.IsWhiteSpace(body[i]))
        {
            i++;
        }
    }

    /// <summary>Adds the abbreviations of an <c>@string</c>; its error when it cannot be read.</summary>
    private static ReadItem? Define(BibTexBlock block, Dictionary<string, string> abbreviations, ref long held)
    {
        var location = $"@string (line {block.Line})";
        if (block.Problem is { } problem)
        {
            return ReadItem.Fail(location, problem);
        }

        try
        {
            foreach (var (name, value) in Parse(block.Body, abbreviations, withKey: false).Fields)
            {
                if (abbreviations.Count >= MaxAbbreviations)
                {
                    return ReadItem.Fail(location, $"more than {MaxAbbreviations:N0} @string abbreviations; the rest are not defined");
                }

                if (held + value.Length > MaxAbbreviationChars)
                {
                    return ReadItem.Fail(location, $"\"{name}\" would take the file's @string abbreviations past {MaxAbbreviationChars:N0} characters; it is not defined");
                }

                held += value.Length - (abbreviations.TryGetValue(name, out var old) ? old.Length : 0);
                abbreviations[name] = value;
            }

            return null;
        }
        catch (FormatException e)
        {
            return ReadItem.Fail(location, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ReadItem.Fail(location, JsonFields.Unreadable(e));
        }
    }

    private ReadItem ToRecord(BibTexBlock block, int entry, IReadOnlyDictionary<string, string> abbreviations)
    {
        var key = Key(block.Body).Key is { } given ? ValidText.Clean(given) : null;
        var location = key is null ? $"entry {entry} (line {block.Line})" : $"entry {entry} (line {block.Line}, {key})";
        if (block.Problem is { } problem)
        {
            return ReadItem.Fail(location, problem);
        }

        try
        {
            var fields = Parse(block.Body, abbreviations, withKey: true).Fields;
            string? Field(string name) => LatexText.Clean(fields.GetValueOrDefault(name));
            var (published, partly) = Date(Field("date"), Field("year"), Field("month"), Field("day"));
            var archive = Field("archiveprefix") ?? Field("eprinttype");
            return ReadItem.Ok(new SourceRecord
            {
                Source = Name,
                Location = location,
                Title = Field("title"),
                Abstract = Field("abstract"),
                Authors = WithOrcids(fields.TryGetValue("author", out var authors) ? Authors(authors) : [], Field("orcid-numbers"), Field("orcid")),
                Categories = JsonFields.Distinct([Field("primaryclass")]),
                Published = published,
                PublishedPartly = partly,
                Doi = Field("doi"),
                ArxivId = string.Equals(archive, "arxiv", StringComparison.OrdinalIgnoreCase) ? Field("eprint") : SourceValues.ArxivIdFromDoi(Field("doi")),
            });
        }
        catch (FormatException e)
        {
            return ReadItem.Fail(location, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else one entry's reading throws is that entry's error, never the file's.
            return ReadItem.Fail(location, JsonFields.Unreadable(e));
        }
    }

    /// <summary>
    /// ORCID iDs where the entry gives them: <c>orcid-numbers = {Shi, Boyu/0000-0002-1825-0097, Liu, Chang/…}</c> (as
    /// several publishers export them; matched to authors by name), or <c>orcid = {0000-…; ; 0000-…}</c> (one per author,
    /// in author order, empty for none). An iD that matches no author is left out.
    /// </summary>
    internal static IReadOnlyList<PaperAuthor> WithOrcids(IReadOnlyList<PaperAuthor> authors, string? numbers, string? inOrder)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match match in OrcidNumber().Matches(numbers ?? ""))
        {
            byName.TryAdd(AuthorKey.FromName(match.Groups["name"].Value.Trim(' ', ',', ';')), SourceValues.Orcid(match.Groups["id"].Value)!);
        }

        // Separated by semicolons, an empty entry keeps its author's place; by commas or spaces, empties are not places.
        List<string?> ordered = inOrder is null ? []
            : inOrder.Contains(';', StringComparison.Ordinal) ? [.. inOrder.Split(';').Select(SourceValues.Orcid)]
            : [.. inOrder.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(SourceValues.Orcid)];

        return [.. authors.Select((a, i) => (byName.GetValueOrDefault(a.NameKey) ?? (i < ordered.Count ? ordered[i] : null)) is { } orcid ? a with { Orcid = orcid } : a)];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<name>[^/]+?)\s*/\s*(?<id>(https?://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dXx])", System.Text.RegularExpressions.RegexOptions.None, 1000)]
    private static partial System.Text.RegularExpressions.Regex OrcidNumber();

    /// <summary>Names split on "and" outside braces; "others" (et al.) dropped; each put in "Given Family" order.</summary>
    internal static IReadOnlyList<PaperAuthor> Authors(string raw)
    {
        var authors = new List<PaperAuthor>();
        foreach (var name in SplitOutsideBraces(raw, IsAnd))
        {
            var parts = SplitOutsideBraces(name, (text, i) => text[i] == ',' ? 1 : 0).Select(p => LatexText.Clean(p) ?? "").ToList();
            var display = parts.Count switch
            {
                1 => parts[0],
                2 => $"{parts[1]} {parts[0]}",
                // "von Last, Jr, First"
                _ => $"{parts[2]} {parts[0]} {parts[1]}",
            };
            display = AuthorKey.DisplayName(display);
            if (display.Length > 0 && !display.Equals("others", StringComparison.OrdinalIgnoreCase))
            {
                authors.Add(new PaperAuthor(display));
            }
        }

        return authors;
    }

    /// <summary>The length of a separator " and " (any case, any white space) at <paramref name="i"/>, else 0.</summary>
    private static int IsAnd(string text, int i)
    {
        if (!char.IsWhiteSpace(text[i]))
        {
            return 0;
        }

        var j = i;
        while (j < text.Length && char.IsWhiteSpace(text[j]))
        {
            j++;
        }

        if (j + 3 >= text.Length || !text.AsSpan(j, 3).Equals("and", StringComparison.OrdinalIgnoreCase) || !char.IsWhiteSpace(text[j + 3]))
        {
            return 0;
        }

        return j + 3 - i;
    }

    private static List<string> SplitOutsideBraces(string text, Func<string, int, int> separatorAt)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0 && separatorAt(text, i) is var length and > 0)
            {
                parts.Add(text[start..i]);
                start = i + length;
                i = start - 1;
            }
        }

        parts.Add(text[start..]);
        return [.. parts.Where(p => !string.IsNullOrWhiteSpace(p))];
    }

    /// <summary>
    /// The publication date from biblatex <c>date</c> (YYYY-MM-DD) or <c>year</c>, <c>month</c> and <c>day</c>;
    /// a date without a day is returned as text only (no day is made up; the validator reports it).
    /// </summary>
    private static (DateOnly? Published, string? Partly) Date(string? date, string? year, string? month, string? day)
    {
        if (date is not null)
        {
            if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var full))
            {
                return (full, null);
            }

            return DateOnly.TryParseExact(date + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ||
                   DateOnly.TryParseExact(date + "-01-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? (null, date)
                : throw new FormatException($"\"date\" is not a date (expected YYYY-MM-DD): {date}");
        }

        if (year is null)
        {
            return (null, null);
        }

        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1 or > 9999)
        {
            throw new FormatException($"\"year\" is not a year: {year}");
        }

        var m = month is null ? (int?)null : Month(month) ?? throw new FormatException($"\"month\" is not a month: {month}");
        if (m is null || day is null)
        {
            return (null, m is null ? year : $"{y:D4}-{m:D2}");
        }

        return int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d >= 1 && d <= DateTime.DaysInMonth(y, m.Value)
            ? (new DateOnly(y, m.Value, d), null)
            : throw new FormatException($"\"day\" is not a day of {y:D4}-{m:D2}: {day}");
    }

    private static int? Month(string month)
    {
        if (int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number is >= 1 and <= 12 ? number : null;
        }

        var name = month.TrimEnd('.').ToLowerInvariant();
        var index = name.Length >= 3 ? Array.FindIndex(MonthNames, m => m.StartsWith(name, StringComparison.Ordinal)) : -1;
        return index < 0 ? null : index + 1;
    }

    private static bool StartsBlock(ReadOnlySpan<byte> text)
    {
        var letters = 0;
        while (letters < text.Length && letters <= 32 && char.IsAsciiLetter((char)text[letters]))
        {
            letters++;
        }

        var rest = text[letters..].TrimStart(" \t"u8);
        return letters is > 0 and <= 32 && !rest.IsEmpty && rest[0] is (byte)'{' or (byte)'(';
    }
}

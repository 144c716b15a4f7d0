using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Typed reads of the fields of one JSON record, shared by the JSON-based formats. A field of the wrong type throws
/// <see cref="FormatException"/> naming it; the format turns that into the record's error. Every string a JSON format
/// reads comes through <see cref="Text"/> or <see cref="Name"/>, which never throw on what the text holds and make it
/// valid (<see cref="ValidText"/>).
/// </summary>
internal static class JsonFields
{
    /// <summary>
    /// The text of a JSON string value, made valid. System.Text.Json throws when it unescapes a lone surrogate
    /// (<c>"\ud800"</c>) or transcodes bytes that are not UTF-8; such a value is decoded here from its raw bytes
    /// instead (the surrogate kept, then replaced with U+FFFD, as a decoder does with bad bytes), so one bad character
    /// costs that character, not the record.
    /// </summary>
    public static string Text(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString() ?? "";
        }
        catch (InvalidOperationException) when (value.ValueKind == JsonValueKind.String)
        {
            // The raw value keeps its quotes.
            text = Unescape(JsonMarshal.GetRawUtf8Value(value)[1..^1]);
        }

        return ValidText.Clean(text);
    }

    /// <summary>A property's name, made valid; decoded from its raw bytes when System.Text.Json refuses it (<see cref="Text"/>).</summary>
    public static string Name(JsonProperty property)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            name = Unescape(JsonMarshal.GetRawUtf8PropertyName(property));
        }

        return ValidText.Clean(name);
    }

    /// <summary>
    /// The text of a JSON string's raw bytes (without quotes) that the parser already checked: escapes decoded, a lone
    /// surrogate escape kept as that UTF-16 unit, bytes that are not UTF-8 as U+FFFD.
    /// </summary>
    internal static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            // No byte of a multi-byte UTF-8 sequence is a backslash, so cutting at one never splits a character.
            var backslash = raw.IndexOf((byte)'\\');
            text.Append(Encoding.UTF8.GetString(backslash < 0 ? raw : raw[..backslash]));
            if (backslash < 0 || backslash + 1 >= raw.Length)
            {
                break;
            }

            raw = raw[backslash..];
            if (raw[1] == (byte)'u' && raw.Length >= 6 &&
                ushort.TryParse(raw.Slice(2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
            {
                text.Append((char)unit);
                raw = raw[6..];
                continue;
            }

            text.Append(raw[1] switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                var escaped => (char)escaped,
            });
            raw = raw[2..];
        }

        return text.ToString();
    }

    /// <summary>The string (or number, as written) of a property; null when absent or null.</summary>
    public static string? OptionalString(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => Text(value),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new FormatException($"\"{name}\" must be a string"),
        };
    }

    /// <summary>The object or array under a property, or null when absent, null or of another kind.</summary>
    public static JsonElement? Child(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    /// <summary>The elements of an array property; none when it is absent or null.</summary>
    public static IEnumerable<JsonElement> Array(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new FormatException($"\"{name}\" must be an array");
    }

    /// <summary>A calendar date written <c>YYYY-MM-DD</c> or as a timestamp (its date as written, not shifted to UTC).</summary>
    public static DateOnly? Date(JsonElement element, string name)
    {
        var text = OptionalString(element, name);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return DateOnly.FromDateTime(timestamp.DateTime);
        }

        throw new FormatException($"\"{name}\" is not a date (expected YYYY-MM-DD)");
    }

    /// <summary>A flag: true or false, or null when absent.</summary>
    public static bool? Flag(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException($"\"{name}\" must be true or false"),
        };
    }

    /// <summary>A count (citations): a non-negative whole number, or null when absent.</summary>
    public static int? Count(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0)
        {
            return count;
        }

        throw new FormatException($"\"{name}\" must be a non-negative whole number");
    }

    /// <summary>
    /// Per-year counts: an array of objects with a <c>year</c> and the count under <paramref name="countName"/>
    /// (OpenAlex <c>counts_by_year</c>: <c>{ "year": 2024, "cited_by_count": 12 }</c>); years in ascending order, a year
    /// given twice counted once (its last value); empty when absent.
    /// </summary>
    public static IReadOnlyList<YearCount> YearCounts(JsonElement element, string name, string countName)
    {
        var years = new SortedDictionary<int, int>();
        foreach (var entry in Array(element, name))
        {
            var year = Count(entry, "year") ?? throw new FormatException($"every \"{name}\" entry needs a \"year\"");
            years[year] = Count(entry, countName) ?? 0;
        }

        return [.. years.Select(y => new YearCount(y.Key, y.Value))];
    }

    /// <summary>An author's institutions: one string or an array of strings (or of objects with a <c>display_name</c> or <c>name</c>).</summary>
    public static IReadOnlyList<string> Institutions(JsonElement author, string name)
    {
        if (author.ValueKind != JsonValueKind.Object || !author.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        IEnumerable<string?> names = value.ValueKind switch
        {
            JsonValueKind.String => [Text(value)],
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ValueKind switch
            {
                JsonValueKind.String => Text(v),
                JsonValueKind.Object => OptionalString(v, "display_name") ?? OptionalString(v, "name"),
                _ => throw new FormatException($"\"{name}\" must be names or objects with a \"name\""),
            }),
            _ => throw new FormatException($"\"{name}\" must be a name or an array of names"),
        };
        return Distinct(names.Select(SourceValues.Text));
    }

    /// <summary>Categories as an array of strings or one string separated by spaces or commas; trimmed, distinct, in order.</summary>
    public static IReadOnlyList<string> Categories(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var categories) || categories.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        IEnumerable<string> values = categories.ValueKind switch
        {
            JsonValueKind.Array => categories.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String
                ? Text(c)
                : throw new FormatException($"\"{name}\" must be strings")),
            JsonValueKind.String => Text(categories).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries),
            _ => throw new FormatException($"\"{name}\" must be an array of strings"),
        };
        return Distinct(values);
    }

    /// <summary>Non-empty trimmed values, first occurrence kept.</summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<string?> values) =>
        [.. values.Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Runs a record mapper, turning a field error into the record's error: the one place a JSON format's
    /// <see cref="FormatException"/> becomes a <see cref="ReadItem"/>. Any other exception of one record's mapping
    /// (System.Text.Json refusing a property name it cannot unescape, say) is that record's error too: a reader
    /// never throws for what one record holds, or the file would be retried and poisoned with the records after it.
    /// </summary>
    public static ReadItem Map(JsonElement element, string location, Func<JsonElement, SourceRecord> map)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ReadItem.Fail(location, $"expected a JSON object for a paper, found {element.ValueKind}");
        }

        try
        {
            return ReadItem.Ok(map(element));
        }
        catch (FormatException e)
        {
            return ReadItem.Fail(location, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ReadItem.Fail(location, Unreadable(e));
        }
    }

    /// <summary>The error of a record whose reading threw something other than a field error.</summary>
    public static string Unreadable(Exception e) => $"the record could not be read ({e.Message})";
}

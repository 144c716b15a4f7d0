using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// ScholarFx JSON: one paper object, an array of them, or JSON Lines (one object per line).
/// Arrays and JSON Lines are streamed record by record; a pretty-printed single object is read whole up to a cap.
/// </summary>
public sealed class ScholarFxJsonFormat : IRecordFormat
{
    /// <summary>Longest JSON Lines line (characters) read; longer lines are reported and skipped.</summary>
    public const int MaxLineChars = 8 * 1024 * 1024;

    /// <summary>Largest single pretty-printed document read whole.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <inheritdoc/>
    public string Name => "scholarfx-json";

    /// <inheritdoc/>
    public bool Recognises(ReadOnlySpan<byte> head, string fileName)
    {
        var first = FirstSignificant(head);
        return first is (byte)'[' or (byte)'{';
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReadItem> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffered = new BufferedStream(content, 64 * 1024);
        var head = new byte[4096];
        var peeked = await FillAsync(buffered, head, cancellationToken).ConfigureAwait(false);
        // A UTF-8 byte order mark is not JSON; drop it before any reader sees the bytes.
        var skip = head.AsSpan(0, peeked).StartsWith("\uFEFF"u8) ? 3 : 0;
        var replay = new ReplayStream(head.AsMemory(skip, peeked - skip), buffered);
        var shape = Shape(head.AsSpan(0, peeked));
        var items = shape switch
        {
            '[' => ReadArrayAsync(replay, cancellationToken),
            'l' => ReadLinesAsync(replay, cancellationToken),
            _ => ReadDocumentAsync(replay, cancellationToken),
        };
        await foreach (var item in items.ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>Maps one JSON object to a record; errors name the field.</summary>
    internal ReadItem ToRecord(JsonElement element, string location)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ReadItem.Fail(location, $"expected a JSON object for a paper, found {element.ValueKind}");
        }

        try
        {
            var record = new SourceRecord
            {
                Source = Name,
                Location = location,
                GivenId = OptionalString(element, "id"),
                Title = OptionalString(element, "title"),
                Abstract = OptionalString(element, "abstract"),
                Authors = Authors(element),
                Categories = Categories(element),
                Published = Date(element, "published"),
                Citations = Citations(element),
                Doi = OptionalString(element, "doi"),
                ArxivId = OptionalString(element, "arxivId"),
                OpenAlexId = OptionalString(element, "openalexId"),
                SemanticScholarId = OptionalString(element, "s2Id"),
            };
            return ReadItem.Ok(record);
        }
        catch (FormatException e)
        {
            return ReadItem.Fail(location, e.Message);
        }
    }

    private async IAsyncEnumerable<ReadItem> ReadArrayAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Elements are parsed as soon as their last byte arrives, so every record before a syntax error is kept
        // and memory holds one element (capped) plus the read buffer, whatever the array's length.
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        var final = false;
        var cursor = new ArrayCursor();
        while (true)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxDocumentBytes)
                {
                    yield return ReadItem.Fail($"record {cursor.Index + 1}", $"a record larger than {MaxDocumentBytes / (1024 * 1024)} MiB is not read; the rest of the array was not read");
                    yield break;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxDocumentBytes));
            }

            if (!final)
            {
                var read = await content.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                final = read == 0;
                end += read;
            }

            var (items, consumed, stop) = ParseArrayChunk(buffer.AsSpan(start, end - start), final, cursor);
            foreach (var item in items)
            {
                yield return item;
            }

            start += consumed;
            if (stop)
            {
                yield break;
            }

            if (final && consumed == 0)
            {
                yield return ReadItem.Fail($"record {cursor.Index + 1}", "the file ends inside the array (truncated JSON); the records before it were kept");
                yield break;
            }
        }
    }

    /// <summary>Parses every complete element in <paramref name="data"/>; returns them, the bytes consumed and whether to stop.</summary>
    private (List<ReadItem> Items, int Consumed, bool Stop) ParseArrayChunk(ReadOnlySpan<byte> data, bool final, ArrayCursor cursor)
    {
        var items = new List<ReadItem>();
        var reader = new Utf8JsonReader(data, final, cursor.State);
        var consumed = 0;
        try
        {
            while (reader.Read())
            {
                if (!cursor.InArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        items.Add(ReadItem.Fail("record 1", "expected a JSON array of papers"));
                        return (items, consumed, true);
                    }

                    cursor.InArray = true;
                }
                else if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return (items, (int)reader.BytesConsumed, true);
                }
                else
                {
                    var elementStart = (int)reader.TokenStartIndex;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                    {
                        // The element is not complete in this buffer: resume from its start with more data.
                        return (items, consumed, false);
                    }

                    cursor.Index++;
                    var element = data[elementStart..(int)reader.BytesConsumed];
                    using var document = JsonDocument.Parse(element.ToArray(), DocumentOptions);
                    items.Add(ToRecord(document.RootElement, $"record {cursor.Index}"));
                }

                consumed = (int)reader.BytesConsumed;
                cursor.State = reader.CurrentState;
            }

            return (items, consumed, false);
        }
        catch (JsonException e)
        {
            // A syntax error inside an array cannot be resynchronised; the records before it are kept.
            items.Add(ReadItem.Fail($"record {cursor.Index + 1}", $"invalid JSON ({Describe(e)}); the rest of the array was not read"));
            return (items, consumed, true);
        }
    }

    private sealed class ArrayCursor
    {
        public JsonReaderState State { get; set; } = new(new JsonReaderOptions { MaxDepth = 32 });
        public bool InArray { get; set; }
        public int Index { get; set; }
    }

    private async IAsyncEnumerable<ReadItem> ReadLinesAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = new LineReader(content, MaxLineChars);
        while (true)
        {
            var (line, tooLong) = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var location = $"line {lines.LineNumber}";
            if (tooLong)
            {
                yield return ReadItem.Fail(location, $"line is longer than {MaxLineChars:N0} characters; skipped");
                continue;
            }

            if (line is null)
            {
                yield break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            ReadItem item;
            try
            {
                using var document = JsonDocument.Parse(line, DocumentOptions);
                item = ToRecord(document.RootElement, location);
            }
            catch (JsonException e)
            {
                item = ReadItem.Fail(location, $"invalid JSON ({Describe(e)})");
            }

            yield return item;
        }
    }

    private async IAsyncEnumerable<ReadItem> ReadDocumentAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var capped = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (capped.Length + read > MaxDocumentBytes)
            {
                yield return ReadItem.Fail("record 1", $"a single JSON document larger than {MaxDocumentBytes / (1024 * 1024)} MiB is not read; use JSON Lines for large files");
                yield break;
            }

            capped.Write(chunk, 0, read);
        }

        capped.Position = 0;
        ReadItem item;
        try
        {
            using var document = await JsonDocument.ParseAsync(capped, DocumentOptions, cancellationToken).ConfigureAwait(false);
            item = ToRecord(document.RootElement, "record 1");
        }
        catch (JsonException e)
        {
            item = ReadItem.Fail("record 1", $"invalid JSON ({Describe(e)})");
        }

        yield return item;
    }

    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"at line {line + 1}, byte {e.BytePositionInLine + 1}" : e.Message;

    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }

    /// <summary>
    /// '[' for an array, 'l' for JSON Lines, '{' for one pretty-printed document. A file is JSON Lines when one of
    /// its first lines is a whole object starting at column 0 (a pretty-printed document indents its inner lines),
    /// so a JSON Lines file whose first line is broken is still read line by line.
    /// </summary>
    private static char Shape(ReadOnlySpan<byte> head)
    {
        var first = FirstSignificant(head);
        if (first == (byte)'[')
        {
            return '[';
        }

        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        if (text.IndexOf((byte)'\n') < 0)
        {
            // One line only (or a first line longer than the peek): JSON Lines reads a single-line object too.
            return 'l';
        }

        var checkedLines = 0;
        while (checkedLines < 20)
        {
            var newline = text.IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var line = text[..newline].TrimEnd(" \t\r"u8);
            text = text[(newline + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            checkedLines++;
            if (line.Length > 1 && line[0] == (byte)'{' && line[^1] == (byte)'}')
            {
                return 'l';
            }
        }

        return '{';
    }

    private static byte FirstSignificant(ReadOnlySpan<byte> head)
    {
        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        text = text.TrimStart(" \t\r\n"u8);
        return text.IsEmpty ? (byte)0 : text[0];
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new FormatException($"\"{name}\" must be a string"),
        };
    }

    private static IReadOnlyList<PaperAuthor> Authors(JsonElement element)
    {
        if (!element.TryGetProperty("authors", out var authors) || authors.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (authors.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("\"authors\" must be an array of names or { \"name\", \"orcid\" } objects");
        }

        var list = new List<PaperAuthor>();
        foreach (var author in authors.EnumerateArray())
        {
            switch (author.ValueKind)
            {
                case JsonValueKind.String when !string.IsNullOrWhiteSpace(author.GetString()):
                    list.Add(new PaperAuthor(AuthorKey.DisplayName(author.GetString()!)));
                    break;
                case JsonValueKind.Object when OptionalString(author, "name") is { Length: > 0 } name && !string.IsNullOrWhiteSpace(name):
                    list.Add(new PaperAuthor(AuthorKey.DisplayName(name), OptionalString(author, "orcid")?.Trim()));
                    break;
                default:
                    throw new FormatException("every author must be a non-empty name or an object with a \"name\"");
            }
        }

        return list;
    }

    private static IReadOnlyList<string> Categories(JsonElement element)
    {
        if (!element.TryGetProperty("categories", out var categories) || categories.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        IEnumerable<string> values = categories.ValueKind switch
        {
            JsonValueKind.Array => categories.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String
                ? c.GetString() ?? ""
                : throw new FormatException("\"categories\" must be strings")),
            JsonValueKind.String => (categories.GetString() ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries),
            _ => throw new FormatException("\"categories\" must be an array of strings"),
        };
        return [.. values.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    private static DateOnly? Date(JsonElement element, string name)
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
            // The calendar date as the source wrote it, not shifted to UTC.
            return DateOnly.FromDateTime(timestamp.DateTime);
        }

        throw new FormatException($"\"{name}\" is not a date (expected YYYY-MM-DD)");
    }

    private static int? Citations(JsonElement element)
    {
        if (!element.TryGetProperty("citations", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0)
        {
            return count;
        }

        throw new FormatException("\"citations\" must be a non-negative whole number");
    }
}

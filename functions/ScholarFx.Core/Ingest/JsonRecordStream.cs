using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// How every JSON-based format reads a file: a top-level array, a page object whose papers sit in an array
/// property (OpenAlex <c>results</c>, Semantic Scholar <c>data</c>), JSON Lines, or one pretty-printed object.
/// Arrays (a page's too) and JSON Lines are read element by element, so memory holds one record (capped) plus
/// the read buffer whatever the file's size; each element goes to the format's mapper.
/// </summary>
internal sealed class JsonRecordStream(Func<JsonElement, string, ReadItem> toRecord, params string[] pageProperties)
{
    /// <summary>Longest JSON Lines line (characters) read; longer lines are reported and skipped.</summary>
    public const int MaxLineChars = 8 * 1024 * 1024;

    /// <summary>Largest single pretty-printed document, or single array element, read whole.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>Bytes looked at to tell an array, a page, JSON Lines and a single object apart.</summary>
    private const int PeekBytes = 64 * 1024;

    private const int MaxDepth = 32;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private enum JsonShape
    {
        Array,
        Page,
        Lines,
        Document,
    }

    /// <summary>Every record of the file, in order; a bad record is an error item and the good ones around it are kept.</summary>
    public async IAsyncEnumerable<ReadItem> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffered = new BufferedStream(content, 64 * 1024);
        var head = await ReplayStream.ReadHeadAsync(buffered, PeekBytes, cancellationToken).ConfigureAwait(false);
        // A UTF-8 byte order mark is not JSON; drop it before any reader sees the bytes.
        head = head[(head.Span.StartsWith("\uFEFF"u8) ? 3 : 0)..];
        var replay = new ReplayStream(head, buffered);
        var items = Shape(head.Span) switch
        {
            JsonShape.Array => ReadArrayAsync(replay, page: false, cancellationToken),
            JsonShape.Page => ReadArrayAsync(replay, page: true, cancellationToken),
            JsonShape.Lines => ReadLinesAsync(replay, cancellationToken),
            _ => ReadDocumentAsync(replay, cancellationToken),
        };
        await foreach (var item in items.ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>The first byte that is not white space or a byte order mark (0 when there is none).</summary>
    public static byte FirstSignificant(ReadOnlySpan<byte> head)
    {
        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        text = text.TrimStart(" \t\r\n"u8);
        return text.IsEmpty ? (byte)0 : text[0];
    }

    /// <summary>
    /// The property names (at any depth) in the JSON at the start of a file, read as far as the head goes; empty
    /// when the head is not JSON. Formats recognise their files by these names, never by words in a title.
    /// </summary>
    public static IReadOnlySet<string> PropertyNames(ReadOnlySpan<byte> head)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (FirstSignificant(head) is not ((byte)'{' or (byte)'['))
        {
            return names;
        }

        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        var reader = new Utf8JsonReader(text, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = MaxDepth, AllowMultipleValues = true }));
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && PropertyName(ref reader) is { } name)
                {
                    names.Add(name);
                }
            }
        }
        catch (JsonException)
        {
            // A broken record early in a file: the names before it still tell the format.
        }

        return names;
    }

    /// <summary>
    /// The papers of one parsed value: the elements of its page array when it is a page object, else the value itself.
    /// <paramref name="location"/> is where the value was ("line 3"); elements of a page add "record N".
    /// </summary>
    private IEnumerable<ReadItem> Expand(JsonElement root, string location, bool numbered)
    {
        if (root.ValueKind == JsonValueKind.Object && PageArray(root) is { } page)
        {
            var index = 0;
            foreach (var element in page.EnumerateArray())
            {
                index++;
                yield return toRecord(element, numbered ? $"{location}, record {index}" : $"record {index}");
            }

            yield break;
        }

        yield return toRecord(root, location);
    }

    private JsonElement? PageArray(JsonElement root)
    {
        try
        {
            foreach (var name in pageProperties)
            {
                if (root.TryGetProperty(name, out var page) && page.ValueKind == JsonValueKind.Array)
                {
                    return page;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // A property name System.Text.Json cannot unescape was compared: read the object as one record, whose
            // mapping reports it with its place.
        }

        return null;
    }

    private async IAsyncEnumerable<ReadItem> ReadArrayAsync(Stream content, bool page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Elements are parsed as soon as their last byte arrives, so every record before a syntax error is kept
        // and memory holds one element (capped) plus the read buffer, whatever the array's length.
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        var final = false;
        var cursor = new ArrayCursor(page);
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

            if (final && consumed == 0 && cursor.Page && cursor.BetweenPages && buffer.AsSpan(start, end - start).Trim(" \t\r\n"u8).IsEmpty)
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
                if (cursor.InArray)
                {
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        cursor.InArray = false;
                        if (!cursor.Page)
                        {
                            return (items, (int)reader.BytesConsumed, true);
                        }
                    }
                    else
                    {
                        var elementStart = (int)reader.TokenStartIndex;
                        if (!SkipValue(ref reader))
                        {
                            // The element is not complete in this buffer: resume from its start with more data.
                            return (items, consumed, false);
                        }

                        cursor.Index++;
                        using var document = JsonDocument.Parse(data[elementStart..(int)reader.BytesConsumed].ToArray(), DocumentOptions);
                        items.Add(toRecord(document.RootElement, $"record {cursor.Index}"));
                    }
                }
                else if (!cursor.Page)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        items.Add(ReadItem.Fail("record 1", "expected a JSON array of papers"));
                        return (items, consumed, true);
                    }

                    cursor.InArray = true;
                }
                else if (reader.CurrentDepth == 0)
                {
                    // Page mode: one or more page objects follow each other (one page per line is read too).
                    cursor.BetweenPages = reader.TokenType == JsonTokenType.EndObject;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        cursor.SawPageArray = false;
                    }
                    else if (reader.TokenType != JsonTokenType.EndObject)
                    {
                        items.Add(ReadItem.Fail($"record {cursor.Index + 1}", $"expected a JSON object with a {PageNames()} array of papers; the rest of the file was not read"));
                        return (items, consumed, true);
                    }
                    else if (!cursor.SawPageArray)
                    {
                        items.Add(ReadItem.Fail($"record {cursor.Index + 1}", $"a JSON object without a {PageNames()} array of papers; skipped"));
                    }
                }
                else if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isPage = pageProperties.Contains(PropertyName(ref reader), StringComparer.Ordinal);
                    if (!reader.Read())
                    {
                        return (items, consumed, false);
                    }

                    if (isPage && reader.TokenType == JsonTokenType.StartArray)
                    {
                        cursor.InArray = true;
                        cursor.SawPageArray = true;
                    }
                    else if (!SkipValue(ref reader))
                    {
                        // Page metadata (meta, total, next) not complete in this buffer: read it again with more data.
                        return (items, consumed, false);
                    }
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

    /// <summary>
    /// The property name the reader is on, or null when System.Text.Json cannot unescape it (a lone surrogate escape):
    /// such a name is no page property and no format's marker, and must not stop the file.
    /// </summary>
    private static string? PropertyName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Moves past the value the reader is on; false when the value does not end in this buffer.</summary>
    private static bool SkipValue(ref Utf8JsonReader reader) =>
        reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip();

    private string PageNames() => string.Join(" or ", pageProperties.Select(p => $"\"{p}\""));

    private sealed class ArrayCursor(bool page)
    {
        public bool Page { get; } = page;
        public JsonReaderState State { get; set; } = new(new JsonReaderOptions { MaxDepth = MaxDepth, AllowMultipleValues = page });
        public bool InArray { get; set; }
        public bool SawPageArray { get; set; }
        public bool BetweenPages { get; set; } = true;
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

            foreach (var item in ParseAndExpand(() => JsonDocument.Parse(line, DocumentOptions), location, numbered: true))
            {
                yield return item;
            }
        }
    }

    private async IAsyncEnumerable<ReadItem> ReadDocumentAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await BoundedRead.ReadAllAsync(content, MaxDocumentBytes, cancellationToken).ConfigureAwait(false) is not { } document)
        {
            yield return ReadItem.Fail("record 1", $"a single JSON document larger than {MaxDocumentBytes / (1024 * 1024)} MiB is not read; use JSON Lines for large files");
            yield break;
        }

        foreach (var item in ParseAndExpand(() => JsonDocument.Parse(document, DocumentOptions), "record 1", numbered: false))
        {
            yield return item;
        }
    }

    private List<ReadItem> ParseAndExpand(Func<JsonDocument> parse, string location, bool numbered)
    {
        try
        {
            using var document = parse();
            return [.. Expand(document.RootElement, location, numbered)];
        }
        catch (JsonException e)
        {
            return [ReadItem.Fail(location, $"invalid JSON ({Describe(e)})")];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else one line's parsing throws is that line's error, never the file's.
            return [ReadItem.Fail(location, JsonFields.Unreadable(e))];
        }
    }

    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"at line {line + 1}, byte {e.BytePositionInLine + 1}" : e.Message;

    /// <summary>
    /// A file is JSON Lines when its first line is a whole object; else a page when its first object has a page
    /// array; else JSON Lines still when one of its first lines is a whole object starting at column 0 (a
    /// pretty-printed document indents its inner lines), so a JSON Lines file whose first line is broken is read
    /// line by line; else one document.
    /// </summary>
    private JsonShape Shape(ReadOnlySpan<byte> text)
    {
        if (FirstSignificant(text) == (byte)'[')
        {
            return JsonShape.Array;
        }

        if (text.IndexOf((byte)'\n') < 0)
        {
            // One line only (or a first line longer than the peek): JSON Lines reads a single-line object too,
            // unless it is a page, whose array is then streamed rather than read as one long line.
            return StartsPage(text) ? JsonShape.Page : JsonShape.Lines;
        }

        var rest = text;
        var checkedLines = 0;
        while (checkedLines < 20)
        {
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var line = rest[..newline].TrimEnd(" \t\r"u8);
            rest = rest[(newline + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            checkedLines++;
            if (line.Length > 1 && line[0] == (byte)'{' && line[^1] == (byte)'}')
            {
                return JsonShape.Lines;
            }

            if (checkedLines == 1 && StartsPage(text))
            {
                return JsonShape.Page;
            }
        }

        return JsonShape.Document;
    }

    /// <summary>Whether the first object of the head has one of the page properties holding an array.</summary>
    private bool StartsPage(ReadOnlySpan<byte> text)
    {
        if (pageProperties.Length == 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(text, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = MaxDepth }));
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName &&
                    pageProperties.Contains(PropertyName(ref reader), StringComparer.Ordinal))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.StartArray;
                }

                if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject)
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            // Not valid JSON as far as it goes: read as a document, which reports where it breaks.
        }

        return false;
    }
}

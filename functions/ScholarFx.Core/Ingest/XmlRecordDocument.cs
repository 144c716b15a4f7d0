using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// What the two XML formats (the arXiv Atom feed and OAI-PMH pages) share in reading a document of records: the DTD
/// refused before anything is parsed, each record capped at a number of bytes, a UTF-8 document decoded so that a bad
/// byte or a noncharacter costs one character (<see cref="ValidTextReader"/>), and XML that stops being well-formed
/// ending the document with an error at the record it broke in, the records before it kept.
/// </summary>
internal static class XmlRecordDocument
{
    /// <summary>How much of the start is read to look for a DTD and the declared encoding.</summary>
    public const int PeekBytes = 64 * 1024;

    /// <summary>
    /// How the documents are parsed: no DTD, no resolver, unlimited per document (a feed may be long; a
    /// <see cref="LengthLimitedStream"/> bounds what one record can cost instead); character references unchecked, so
    /// a reference to a lone surrogate or U+FFFE reaches the record's text, which is made valid like every reader's
    /// text, instead of ending the document as not well-formed.
    /// </summary>
    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
        CheckCharacters = false,
    };

    /// <summary>Where a reader is in the document: the record being read gives errors their place.</summary>
    public sealed class Position
    {
        public bool Started { get; set; }
        public bool InRecord { get; set; }
        public int Record { get; set; }
        public string Location { get; set; } = "file";
    }

    /// <summary>
    /// The records of <paramref name="content"/>, whose root element starts with <paramref name="root"/> (<c>&lt;feed</c>),
    /// each produced by <paramref name="next"/> (null at the end); <paramref name="names"/> are the document's and a record's
    /// names in errors ("feed", "entry").
    /// </summary>
    public static async IAsyncEnumerable<ReadItem> ReadAsync(
        Stream content,
        byte[] root,
        (string Document, string Record) names,
        int maxRecordBytes,
        Func<XmlReader, LengthLimitedStream, Position, CancellationToken, Task<ReadItem?>> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var head = await ReplayStream.ReadHeadAsync(content, PeekBytes, cancellationToken).ConfigureAwait(false);
        if (DeclaresDtd(head.Span, root))
        {
            yield return ReadItem.Fail("file", $"the {names.Document} declares a DTD (<!DOCTYPE …>); DTDs are refused so that no entity is expanded and no external file is read; nothing was read");
            yield break;
        }

        var budget = new LengthLimitedStream(new ReplayStream(head, content), maxRecordBytes);
        // A UTF-8 document (arXiv's) is decoded here; one declaring another encoding is left to the XmlReader to decode.
        using var text = DeclaresOtherEncoding(head.Span) ? null : new ValidTextReader(budget);
        using var reader = text is null ? XmlReader.Create(budget, Settings) : XmlReader.Create(text, Settings);
        var position = new Position();
        while (true)
        {
            ReadItem? item;
            var done = false;
            try
            {
                item = await next(reader, budget, position, cancellationToken).ConfigureAwait(false);
                done = item is null;
            }
            catch (XmlException e)
            {
                // Not well-formed XML cannot be resynchronised; the records before it are kept.
                item = ReadItem.Fail(position.InRecord ? position.Location : $"line {e.LineNumber}", $"invalid XML ({e.Message}); the rest of the {names.Document} was not read");
                done = true;
            }
            catch (LengthLimitedStream.TooLongException)
            {
                item = ReadItem.Fail(position.InRecord ? position.Location : $"after {names.Record} {position.Record}",
                    $"an {names.Record} (or the text between them) is larger than {maxRecordBytes / (1024 * 1024)} MiB; the rest of the {names.Document} was not read");
                done = true;
            }

            if (item is { } value)
            {
                yield return value;
            }

            if (done)
            {
                yield break;
            }
        }
    }

    /// <summary>Whether the prolog (what comes before the root element) has a document type declaration.</summary>
    private static bool DeclaresDtd(ReadOnlySpan<byte> head, ReadOnlySpan<byte> root)
    {
        var at = head.IndexOf(root);
        var prolog = at < 0 ? head : head[..at];
        return prolog.IndexOf("<!DOCTYPE"u8) >= 0;
    }

    /// <summary>Whether the XML declaration names an encoding other than UTF-8 (none means UTF-8).</summary>
    private static bool DeclaresOtherEncoding(ReadOnlySpan<byte> head)
    {
        var start = head.IndexOf("<?xml"u8);
        var end = start < 0 ? -1 : head[start..].IndexOf("?>"u8);
        if (end < 0)
        {
            return false;
        }

        var declaration = head.Slice(start, end);
        var at = declaration.IndexOf("encoding"u8);
        if (at < 0)
        {
            return false;
        }

        var value = declaration[(at + "encoding".Length)..].TrimStart(" \t\r\n="u8).TrimStart("\"'"u8);
        var close = value.IndexOfAny("\"'"u8);
        var name = Encoding.ASCII.GetString(close < 0 ? value : value[..close]);
        return !name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !name.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// The arXiv API Atom feed: one <c>&lt;entry&gt;</c> per paper, read one at a time with an <see cref="XmlReader"/>
/// (never the whole feed). The id loses its version (<c>http://arxiv.org/abs/2101.00001v2</c> → <c>2101.00001</c>),
/// <c>arxiv:primary_category</c> comes first among the categories, and <c>published</c> is the v1 date.
/// Titles and summaries are the submitters' LaTeX and are cleaned to text (<see cref="LatexText"/>). XML is read safely: a DTD is refused (so no entity is expanded and no external file or URL is read), no
/// resolver is set, and each entry is capped at <see cref="MaxEntryBytes"/>.
/// </summary>
public sealed class ArxivAtomFormat : IRecordFormat
{
    /// <summary>Most bytes one entry (or the text between two entries) may take, to within the XmlReader's read-ahead buffer.</summary>
    public const int MaxEntryBytes = 4 * 1024 * 1024;

    private const int PeekBytes = 64 * 1024;
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";

    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        // Unlimited per document (a feed may be long); a LengthLimitedStream bounds what one entry can cost instead.
        MaxCharactersInDocument = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
        // A character reference to a lone surrogate or U+FFFE (&#xD800;) would end the feed as not well-formed;
        // unchecked, it reaches the entry's text, which is made valid (Value) like every reader's text.
        CheckCharacters = false,
    };

    /// <inheritdoc/>
    public string Name => "arxiv-atom";

    /// <inheritdoc/>
    public bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        JsonRecordStream.FirstSignificant(head) == (byte)'<' &&
        head.IndexOf("<feed"u8) >= 0 && head.IndexOf("http://www.w3.org/2005/Atom"u8) >= 0 &&
        (head.IndexOf("arxiv"u8) >= 0 || head.IndexOf("arXiv"u8) >= 0);

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReadItem> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var head = await ReplayStream.ReadHeadAsync(content, PeekBytes, cancellationToken).ConfigureAwait(false);
        if (DeclaresDtd(head.Span))
        {
            yield return ReadItem.Fail("file", "the feed declares a DTD (<!DOCTYPE …>); DTDs are refused so that no entity is expanded and no external file is read; nothing was read");
            yield break;
        }

        var budget = new LengthLimitedStream(new ReplayStream(head, content), MaxEntryBytes);
        // A UTF-8 feed (arXiv's) is decoded here so that a byte that is not UTF-8 or a noncharacter costs one
        // character, not the rest of the feed; a feed declaring another encoding is left to the XmlReader to decode.
        using var text = DeclaresOtherEncoding(head.Span) ? null : new ValidTextReader(budget);
        using var reader = text is null ? XmlReader.Create(budget, Settings) : XmlReader.Create(text, Settings);
        var feed = new FeedPosition();
        while (true)
        {
            ReadItem? item;
            var done = false;
            try
            {
                item = await NextAsync(reader, budget, feed, cancellationToken).ConfigureAwait(false);
                done = item is null;
            }
            catch (XmlException e)
            {
                // Not well-formed XML cannot be resynchronised; the entries before it are kept.
                item = ReadItem.Fail(feed.InEntry ? feed.Location : $"line {e.LineNumber}", $"invalid XML ({e.Message}); the rest of the feed was not read");
                done = true;
            }
            catch (LengthLimitedStream.TooLongException)
            {
                item = ReadItem.Fail(feed.InEntry ? feed.Location : $"after entry {feed.Entry}",
                    $"an entry (or the text between entries) is larger than {MaxEntryBytes / (1024 * 1024)} MiB; the rest of the feed was not read");
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

    /// <summary>
    /// The record of one entry; an arXiv API error entry, a bad date, or anything else its reading throws is the
    /// entry's error, never the feed's.
    /// </summary>
    private ReadItem ToRecord(XElement entry, string location)
    {
        try
        {
            return Map(entry, location);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ReadItem.Fail(location, JsonFields.Unreadable(e));
        }
    }

    /// <summary>An element's or attribute's text made valid (<see cref="ValidText"/>): the one way entry text is read.</summary>
    private static string? Value(XElement? element) => (string?)element is { } text ? ValidText.Clean(text) : null;

    private static string? Value(XAttribute? attribute) => (string?)attribute is { } text ? ValidText.Clean(text) : null;

    private ReadItem Map(XElement entry, string location)
    {
        var id = SourceValues.Text(Value(entry.Element(Atom + "id")));
        if (id is not null && id.Contains("arxiv.org/api/errors", StringComparison.OrdinalIgnoreCase))
        {
            return ReadItem.Fail(location, $"the feed reports an arXiv API error: {SourceValues.Text(Value(entry.Element(Atom + "summary")))}");
        }

        var published = SourceValues.Text(Value(entry.Element(Atom + "published")));
        DateOnly? date = null;
        if (published is not null)
        {
            if (!DateTimeOffset.TryParse(published, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                return ReadItem.Fail(location, $"<published> is not a date: {published}");
            }

            // The calendar date as the feed wrote it, not shifted to UTC.
            date = DateOnly.FromDateTime(timestamp.DateTime);
        }

        var primary = Value(entry.Element(Arxiv + "primary_category")?.Attribute("term"));
        return ReadItem.Ok(new SourceRecord
        {
            Source = Name,
            Location = location,
            ArxivId = PaperIdentity.Arxiv(SourceValues.ArxivIdFromUrl(id) ?? id)?["arxiv:".Length..],
            Title = LatexText.Clean(Value(entry.Element(Atom + "title"))),
            Abstract = LatexText.Clean(Value(entry.Element(Atom + "summary"))),
            Authors = [.. entry.Elements(Atom + "author")
                .Select(a => (Name: LatexText.Clean(Value(a.Element(Atom + "name"))), Element: a))
                .Where(a => a.Name is not null)
                .Select(a => new PaperAuthor(
                    AuthorKey.DisplayName(a.Name!),
                    null,
                    JsonFields.Distinct(a.Element.Elements(Arxiv + "affiliation").Select(x => LatexText.Clean(Value(x)))) is { Count: > 0 } institutions ? institutions : null))],
            Categories = JsonFields.Distinct(entry.Elements(Atom + "category").Select(c => Value(c.Attribute("term"))).Prepend(primary)),
            Published = date,
            Doi = SourceValues.Text(Value(entry.Element(Arxiv + "doi"))),
        });
    }

    /// <summary>The next entry's record, or null at the end of the feed.</summary>
    private async Task<ReadItem?> NextAsync(XmlReader reader, LengthLimitedStream budget, FeedPosition feed, CancellationToken cancellationToken)
    {
        feed.InEntry = false;
        if (!feed.Started)
        {
            feed.Started = true;
            if (await reader.MoveToContentAsync().ConfigureAwait(false) != XmlNodeType.Element || reader.LocalName != "feed" || reader.NamespaceURI != Atom.NamespaceName)
            {
                return ReadItem.Fail("file", "expected an Atom <feed> (namespace http://www.w3.org/2005/Atom) as the root element");
            }

            await reader.ReadAsync().ConfigureAwait(false);
        }

        while (!reader.EOF)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1)
            {
                if (reader.LocalName == "entry" && reader.NamespaceURI == Atom.NamespaceName)
                {
                    feed.Entry++;
                    feed.InEntry = true;
                    feed.Location = $"entry {feed.Entry} (line {((IXmlLineInfo)reader).LineNumber})";
                    budget.Restart();
                    var entry = (XElement)await XNode.ReadFromAsync(reader, cancellationToken).ConfigureAwait(false);
                    budget.Restart();
                    return ToRecord(entry, feed.Location);
                }

                // Feed metadata (title, links, opensearch counts): skipped without being built.
                await reader.SkipAsync().ConfigureAwait(false);
                continue;
            }

            await reader.ReadAsync().ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Whether the prolog (what comes before the root element) has a document type declaration.</summary>
    private static bool DeclaresDtd(ReadOnlySpan<byte> head)
    {
        var root = head.IndexOf("<feed"u8);
        var prolog = root < 0 ? head : head[..root];
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

    private sealed class FeedPosition
    {
        public bool Started { get; set; }
        public bool InEntry { get; set; }
        public int Entry { get; set; }
        public string Location { get; set; } = "file";
    }
}

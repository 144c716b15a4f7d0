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

        private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";

    /// <inheritdoc/>
    public string Name => "arxiv-atom";

    /// <inheritdoc/>
    public bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        JsonRecordStream.FirstSignificant(head) == (byte)'<' &&
        head.IndexOf("<feed"u8) >= 0 && head.IndexOf("http://www.w3.org/2005/Atom"u8) >= 0 &&
        (head.IndexOf("arxiv"u8) >= 0 || head.IndexOf("arXiv"u8) >= 0);

    /// <inheritdoc/>
    public IAsyncEnumerable<ReadItem> ReadAsync(Stream content, CancellationToken cancellationToken) =>
        XmlRecordDocument.ReadAsync(content, "<feed"u8.ToArray(), ("feed", "entry"), MaxEntryBytes, NextAsync, cancellationToken);

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
    private async Task<ReadItem?> NextAsync(XmlReader reader, LengthLimitedStream budget, XmlRecordDocument.Position feed, CancellationToken cancellationToken)
    {
        feed.InRecord = false;
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
                    feed.Record++;
                    feed.InRecord = true;
                    feed.Location = $"entry {feed.Record} (line {((IXmlLineInfo)reader).LineNumber})";
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
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Linq;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// A page of arXiv's OAI-PMH interface (<c>ListRecords</c> or <c>GetRecord</c>) in the <c>arXiv</c> or <c>arXivRaw</c>
/// metadata format, as the harvest stores it: one <c>&lt;record&gt;</c> per paper, read one at a time with an
/// <see cref="XmlReader"/>. <c>arXiv</c> gives structured authors (<c>keyname</c>, <c>forenames</c>, <c>suffix</c>,
/// <c>affiliation</c>) and <c>created</c> (the v1 date); <c>arXivRaw</c> gives the authors as one string and a
/// <c>version</c> list whose v1 <c>date</c> is the publication date. Categories are space-separated, primary first.
/// A record whose header says <c>status="deleted"</c> has no metadata and is skipped. XML is read as safely as
/// <see cref="ArxivAtomFormat"/>: no DTD, no resolver, each record capped at <see cref="MaxRecordBytes"/>.
/// </summary>
public sealed class ArxivOaiFormat : IRecordFormat
{
    /// <summary>Most bytes one record (or the text between two records) may take, to within the XmlReader's read-ahead buffer.</summary>
    public const int MaxRecordBytes = ArxivAtomFormat.MaxEntryBytes;

    private static readonly XNamespace Oai = OaiNamespace;
    private static readonly XNamespace ArxivMeta = "http://arxiv.org/OAI/arXiv/";
    private static readonly XNamespace ArxivRaw = "http://arxiv.org/OAI/arXivRaw/";
    private static readonly string[] VersionDateFormats = ["ddd, d MMM yyyy HH:mm:ss 'GMT'", "r", "yyyy-MM-dd"];

    /// <summary>The OAI-PMH 2.0 namespace.</summary>
    internal const string OaiNamespace = "http://www.openarchives.org/OAI/2.0/";

    /// <inheritdoc/>
    public string Name => "arxiv-oai";

    /// <inheritdoc/>
    public bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        JsonRecordStream.FirstSignificant(head) == (byte)'<' &&
        head.IndexOf("<OAI-PMH"u8) >= 0 && head.IndexOf("http://www.openarchives.org/OAI/2.0/"u8) >= 0 &&
        (head.IndexOf("http://arxiv.org/OAI/arXiv/"u8) >= 0 || head.IndexOf("http://arxiv.org/OAI/arXivRaw/"u8) >= 0 || head.IndexOf("<error"u8) >= 0);

    /// <inheritdoc/>
    public IAsyncEnumerable<ReadItem> ReadAsync(Stream content, CancellationToken cancellationToken) =>
        XmlRecordDocument.ReadAsync(content, "<OAI-PMH"u8.ToArray(), ("page", "record"), MaxRecordBytes, NextAsync, cancellationToken);

    /// <summary>The record of one OAI <c>&lt;record&gt;</c>, or null for a deleted record (no metadata).</summary>
    internal ReadItem? ToRecord(XElement record, string location)
    {
        var header = record.Element(Oai + "header");
        if ((string?)header?.Attribute("status") == "deleted")
        {
            return null;
        }

        var metadata = record.Element(Oai + "metadata");
        var arxiv = metadata?.Element(ArxivMeta + "arXiv");
        var raw = metadata?.Element(ArxivRaw + "arXivRaw");
        try
        {
            if (arxiv is not null)
            {
                return ReadItem.Ok(FromArxiv(arxiv, location));
            }

            if (raw is not null)
            {
                return ReadItem.Ok(FromArxivRaw(raw, location));
            }
        }
        catch (FormatException e)
        {
            return ReadItem.Fail(location, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else one record's reading throws is that record's error, never the page's.
            return ReadItem.Fail(location, JsonFields.Unreadable(e));
        }

        return ReadItem.Fail(location, "the record has no <arXiv> or <arXivRaw> metadata (harvest with metadataPrefix=arXiv or arXivRaw)");
    }

    private SourceRecord FromArxiv(XElement paper, string location)
    {
        var ns = ArxivMeta;
        var created = SourceValues.Text((string?)paper.Element(ns + "created"));
        DateOnly? published = null;
        if (created is not null)
        {
            published = DateOnly.TryParseExact(created, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new FormatException($"<created> is not a date (yyyy-MM-dd): {created}");
        }

        var authors = new List<PaperAuthor>();
        foreach (var author in paper.Element(ns + "authors")?.Elements(ns + "author") ?? [])
        {
            var parts = new[] { (string?)author.Element(ns + "forenames"), (string?)author.Element(ns + "keyname"), (string?)author.Element(ns + "suffix") };
            var name = LatexText.Clean(string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p))));
            if (name is not null)
            {
                var affiliations = JsonFields.Distinct(author.Elements(ns + "affiliation").Select(a => LatexText.Clean((string?)a)));
                authors.Add(new PaperAuthor(AuthorKey.DisplayName(name), null, affiliations.Count > 0 ? affiliations : null));
            }
        }

        return Record(paper, ns, location, authors, published);
    }

    private SourceRecord FromArxivRaw(XElement paper, string location)
    {
        var ns = ArxivRaw;
        DateOnly? published = null;
        foreach (var version in paper.Elements(ns + "version"))
        {
            var date = SourceValues.Text((string?)version.Element(ns + "date"));
            if (date is null)
            {
                continue;
            }

            if (!DateTime.TryParseExact(date, VersionDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when))
            {
                throw new FormatException($"a <version> has a <date> that is not an RFC 1123 date (like \"Mon, 2 Apr 2007 19:18:42 GMT\"): {date}");
            }

            var day = DateOnly.FromDateTime(when);
            published = published is null || day < published ? day : published;
        }

        // "A. Author, B. Author and C. Author"
        var text = (string?)paper.Element(ns + "authors") ?? "";
        var authors = text.Replace(" and ", ",", StringComparison.Ordinal).Split(',')
            .Select(LatexText.Clean).OfType<string>().Select(n => new PaperAuthor(AuthorKey.DisplayName(n))).ToList();
        return Record(paper, ns, location, authors, published);
    }

    /// <summary>The fields both metadata formats name alike (id, title, abstract, categories, DOI), with the authors and date each reads its own way.</summary>
    private SourceRecord Record(XElement paper, XNamespace ns, string location, IReadOnlyList<PaperAuthor> authors, DateOnly? published) => new()
    {
        Source = Name,
        Location = location,
        ArxivId = SourceValues.Text((string?)paper.Element(ns + "id")),
        Title = LatexText.Clean((string?)paper.Element(ns + "title")),
        Abstract = LatexText.Clean((string?)paper.Element(ns + "abstract")),
        Authors = authors,
        Categories = Categories((string?)paper.Element(ns + "categories")),
        Published = published,
        Doi = FirstDoi((string?)paper.Element(ns + "doi")),
    };

    private static IReadOnlyList<string> Categories(string? text) =>
        JsonFields.Distinct((text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // arXiv may list several DOIs separated by spaces; the first is the paper's.
    private static string? FirstDoi(string? text) =>
        SourceValues.Text(text)?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    /// <summary>The next record's item, or null at the end of the page. OAI errors other than noRecordsMatch are the file's error.</summary>
    private async Task<ReadItem?> NextAsync(XmlReader reader, LengthLimitedStream budget, XmlRecordDocument.Position page, CancellationToken cancellationToken)
    {
        while (true)
        {
            page.InRecord = false;
            if (!page.Started)
            {
                page.Started = true;
                if (await reader.MoveToContentAsync().ConfigureAwait(false) != XmlNodeType.Element || reader.LocalName != "OAI-PMH" || reader.NamespaceURI != OaiNamespace)
                {
                    return ReadItem.Fail("file", "expected an OAI-PMH response (<OAI-PMH>, namespace http://www.openarchives.org/OAI/2.0/) as the root element");
                }

                await reader.ReadAsync().ConfigureAwait(false);
            }

            var next = await NextRecordAsync(reader, budget, page, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                return null;
            }

            if (next.Value.Error is { } error)
            {
                return ReadItem.Fail("file", error);
            }

            if (ToRecord(next.Value.Record!, page.Location) is { } item)
            {
                return item;
            }
        }
    }

    private static async Task<(XElement? Record, string? Error)?> NextRecordAsync(XmlReader reader, LengthLimitedStream budget, XmlRecordDocument.Position page, CancellationToken cancellationToken)
    {
        while (!reader.EOF)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == OaiNamespace)
            {
                if (reader.Depth == 1 && reader.LocalName == "error")
                {
                    var code = reader.GetAttribute("code");
                    var message = await reader.ReadElementContentAsStringAsync().ConfigureAwait(false);
                    if (code == "noRecordsMatch")
                    {
                        continue;
                    }

                    return (null, $"the page is an OAI-PMH error ({code}): {SourceValues.Text(message)}");
                }

                if (reader.Depth == 1 && reader.LocalName is "ListRecords" or "GetRecord")
                {
                    await reader.ReadAsync().ConfigureAwait(false);
                    continue;
                }

                if (reader.Depth == 2 && reader.LocalName == "record")
                {
                    page.Record++;
                    page.InRecord = true;
                    page.Location = $"record {page.Record} (line {((IXmlLineInfo)reader).LineNumber})";
                    budget.Restart();
                    var record = (XElement)await XNode.ReadFromAsync(reader, cancellationToken).ConfigureAwait(false);
                    budget.Restart();
                    return (record, null);
                }

                if (reader.Depth >= 1)
                {
                    // responseDate, request, resumptionToken: skipped without being built.
                    await reader.SkipAsync().ConfigureAwait(false);
                    continue;
                }
            }

            await reader.ReadAsync().ConfigureAwait(false);
        }

        return null;
    }
}

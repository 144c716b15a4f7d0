using System.Globalization;
using System.Text;
using System.Xml;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Pages;

/// <summary>
/// The feed <c>GET /api/profiles/{authorId}/feed.atom</c>: an Atom feed (RFC 4287) of the author's newest papers (the
/// profile's first page), newest first, each with its title, authors, date, link, category, scores and abstract. Written
/// with <see cref="XmlWriter"/>, so every value is escaped. With the service's public address configured, ids and links
/// are the pages' absolute URLs; without it links are relative (to the feed's own address) and ids are <c>tag:</c> URIs
/// (RFC 4151), never built from the request's <c>Host</c> header.
/// </summary>
internal static class AuthorFeed
{
    /// <summary>The Atom namespace.</summary>
    public const string Atom = "http://www.w3.org/2005/Atom";

    /// <summary>The feed document.</summary>
    public static string Render(ProfileView profile, IReadOnlyDictionary<string, PaperView> records, string baseUrl)
    {
        // Written as UTF-8 bytes, so the declaration says the encoding the response is sent in.
        using var bytes = new MemoryStream(8_192);
        using (var xml = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) }))
        {
            var profileUrl = baseUrl + Markup.ProfileHref(profile.Id);
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("id", Atom, Id(baseUrl, Markup.ProfileHref(profile.Id)));
            xml.WriteElementString("title", Atom, Markup.Clean("Papers of " + profile.Name + " · ScholarFx"));
            // An entry is updated when it is published: a rescore changes a record, which is not news to a reader.
            var updated = profile.Papers.Select(Published).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
            xml.WriteElementString("updated", Atom, Date(updated));
            Link(xml, "self", "application/atom+xml", baseUrl + "/api/profiles/" + Markup.Segment(profile.Id) + "/feed.atom");
            Link(xml, "alternate", "text/html", profileUrl);
            Person(xml, profile.Name, profileUrl);
            xml.WriteStartElement("generator", Atom);
            xml.WriteString("ScholarFx");
            xml.WriteEndElement();
            foreach (var paper in profile.Papers)
            {
                Entry(xml, paper, records.GetValueOrDefault(paper.Id), baseUrl);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    /// <summary>An entry's or the feed's id: its absolute URL, or a <c>tag:</c> URI of its path when no public address is set.</summary>
    private static string Id(string baseUrl, string href) => baseUrl.Length > 0 ? baseUrl + href : "tag:scholarfx,2026:" + href;

    private static void Entry(XmlWriter xml, PaperSummaryView paper, PaperView? record, string baseUrl)
    {
        var url = baseUrl + Markup.PaperHref(paper.Id);
        xml.WriteStartElement("entry", Atom);
        xml.WriteElementString("id", Atom, Id(baseUrl, Markup.PaperHref(paper.Id)));
        xml.WriteElementString("title", Atom, Markup.Clean(paper.Title));
        xml.WriteElementString("published", Atom, Date(Published(paper)));
        xml.WriteElementString("updated", Atom, Date(Published(paper)));
        Link(xml, "alternate", "text/html", url);
        if (record is not null)
        {
            foreach (var author in record.Authors)
            {
                Person(xml, author.Name, baseUrl + Markup.ProfileHref(author.Id));
            }
        }
        else
        {
            foreach (var name in paper.Authors)
            {
                Person(xml, name, baseUrl + Markup.ProfileHref(AuthorKey.FromName(name)));
            }
        }

        if (paper.Category is { Length: > 0 } category)
        {
            xml.WriteStartElement("category", Atom);
            xml.WriteAttributeString("term", Markup.Clean(category));
            xml.WriteEndElement();
        }

        xml.WriteStartElement("summary", Atom);
        xml.WriteAttributeString("type", "text");
        xml.WriteString(string.Create(CultureInfo.InvariantCulture, $"Novelty {Markup.Score(paper.Novelty)} · AI score {Markup.Score(paper.AiScore)}{(paper.Citations is { } c ? $" · {c} citations" : "")}"));
        xml.WriteEndElement();
        if (record is not null)
        {
            xml.WriteStartElement("content", Atom);
            xml.WriteAttributeString("type", "text");
            xml.WriteString(Markup.Clean(record.Abstract));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static DateTimeOffset Published(PaperSummaryView paper) =>
        DateOnly.TryParse(paper.Published, CultureInfo.InvariantCulture, out var day) ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;

    private static string Date(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Link(XmlWriter xml, string rel, string type, string href)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static void Person(XmlWriter xml, string name, string uri)
    {
        xml.WriteStartElement("author", Atom);
        xml.WriteElementString("name", Atom, Markup.Clean(name));
        xml.WriteElementString("uri", Atom, uri);
        xml.WriteEndElement();
    }
}

using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;

namespace ScholarFx.Core.Harvest;

/// <summary>
/// arXiv's OAI-PMH interface: <c>ListRecords</c> with <c>metadataPrefix</c>, <c>set</c>, <c>from</c> and <c>until</c>
/// (days of the records' last modification), continued by <c>resumptionToken</c> — a continuation carries only the verb
/// and the token. An empty token ends the list; <c>noRecordsMatch</c> is an empty window; <c>badResumptionToken</c>
/// (the token expired) starts the window again. The pages are stored as fetched and read by <see cref="ArxivOaiFormat"/>.
/// </summary>
internal sealed class ArxivOaiHarvester(IOptions<ArxivHarvestOptions> options, HarvestClock clock) : HarvestSource
{
    /// <summary>The source's name.</summary>
    public const string SourceName = "arxiv";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    private readonly ArxivHarvestOptions settings = options.Value;

    /// <inheritdoc/>
    public override string Name => SourceName;

    /// <inheritdoc/>
    public override string Extension => "xml";

    /// <inheritdoc/>
    public override HarvestSourceOptions Options => settings;

    /// <inheritdoc/>
    public override PolitenessGate Gate { get; } = new(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);

    /// <inheritdoc/>
    public override Uri PageUri(HarvestWindow window, string? cursor)
    {
        var query = cursor is null
            ? string.Create(CultureInfo.InvariantCulture, $"verb=ListRecords&metadataPrefix={Uri.EscapeDataString(settings.MetadataPrefix)}")
              + (string.IsNullOrEmpty(settings.Set) ? "" : "&set=" + Uri.EscapeDataString(settings.Set))
              + string.Create(CultureInfo.InvariantCulture, $"&from={window.From:yyyy-MM-dd}&until={window.Until:yyyy-MM-dd}")
            : "verb=ListRecords&resumptionToken=" + Uri.EscapeDataString(cursor);
        return new UriBuilder(settings.EndpointUri) { Query = query }.Uri;
    }

    /// <inheritdoc/>
    public override HarvestPage Parse(ReadOnlyMemory<byte> body) => ParsePage(body);

    /// <summary>The records and resumption token of an OAI-PMH <c>ListRecords</c> answer.</summary>
    internal static HarvestPage ParsePage(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "OAI-PMH" || reader.NamespaceURI != ArxivOaiFormat.OaiNamespace)
            {
                return HarvestPage.NotParsed("not an OAI-PMH answer (no <OAI-PMH> root element)");
            }

            var records = 0;
            string? token = null;
            var listed = false;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != ArxivOaiFormat.OaiNamespace)
                {
                    continue;
                }

                switch (reader.Depth, reader.LocalName)
                {
                    case (1, "error"):
                        var code = reader.GetAttribute("code");
                        var message = SourceValues.Text(reader.ReadElementContentAsString());
                        // Read to the end, so that a truncated error page is not taken for a complete one.
                        while (reader.Read())
                        {
                        }

                        return code switch
                        {
                            "noRecordsMatch" => HarvestPage.Parsed(0, null),
                            "badResumptionToken" => HarvestPage.Expired(),
                            _ => HarvestPage.Failed($"OAI-PMH error {code}: {message}"),
                        };
                    case (1, "ListRecords"):
                        listed = true;
                        break;
                    case (2, "record"):
                        if (!Deleted(reader))
                        {
                            records++;
                        }

                        break;
                    case (2, "resumptionToken"):
                        token = reader.ReadElementContentAsString().Trim();
                        break;
                }
            }

            return listed ? HarvestPage.Parsed(records, token) : HarvestPage.NotParsed("an OAI-PMH answer without <ListRecords> or <error>");
        }
        catch (XmlException e)
        {
            return HarvestPage.NotParsed($"invalid XML ({e.Message})");
        }
    }

    /// <summary>Whether the record at the reader is marked deleted; leaves the reader at the record's end.</summary>
    private static bool Deleted(XmlReader reader)
    {
        using var record = reader.ReadSubtree();
        while (record.Read())
        {
            if (record.NodeType == XmlNodeType.Element && record.LocalName == "header" && record.NamespaceURI == ArxivOaiFormat.OaiNamespace)
            {
                var deleted = record.GetAttribute("status") == "deleted";
                while (record.Read())
                {
                }

                return deleted;
            }
        }

        return false;
    }
}

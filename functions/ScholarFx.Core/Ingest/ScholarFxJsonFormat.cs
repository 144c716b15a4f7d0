using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// ScholarFx JSON: one paper object, an array of them, or JSON Lines (one object per line).
/// Arrays and JSON Lines are streamed record by record; a pretty-printed single object is read whole up to a cap.
/// </summary>
public sealed class ScholarFxJsonFormat : JsonRecordFormat
{
    /// <summary>Longest JSON Lines line (characters) read; longer lines are reported and skipped.</summary>
    public const int MaxLineChars = JsonRecordStream.MaxLineChars;

    /// <summary>Largest single pretty-printed document read whole.</summary>
    public const int MaxDocumentBytes = JsonRecordStream.MaxDocumentBytes;

    /// <inheritdoc/>
    public override string Name => "scholarfx-json";

    /// <inheritdoc/>
    /// <remarks>Any JSON object or array: the detector asks the more specific JSON formats first.</remarks>
    public override bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        JsonRecordStream.FirstSignificant(head) is (byte)'[' or (byte)'{';

    /// <summary>Maps one JSON object to a record; errors name the field.</summary>
    private protected override ReadItem ToRecord(JsonElement element, string location) => JsonFields.Map(element, location, paper => new SourceRecord
    {
        Source = Name,
        Location = location,
        GivenId = JsonFields.OptionalString(paper, "id"),
        Title = JsonFields.OptionalString(paper, "title"),
        Abstract = JsonFields.OptionalString(paper, "abstract"),
        Authors = Authors(paper),
        Categories = JsonFields.Categories(paper, "categories"),
        Published = JsonFields.Date(paper, "published"),
        Citations = JsonFields.Count(paper, "citations"),
        CitationsByYear = JsonFields.YearCounts(paper, "citationsByYear", "citations"),
        Doi = JsonFields.OptionalString(paper, "doi"),
        ArxivId = JsonFields.OptionalString(paper, "arxivId"),
        OpenAlexId = JsonFields.OptionalString(paper, "openalexId"),
        SemanticScholarId = JsonFields.OptionalString(paper, "s2Id"),
        Retracted = JsonFields.Flag(paper, "retracted"),
    });

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
                case JsonValueKind.String when JsonFields.Text(author) is var name && !string.IsNullOrWhiteSpace(name):
                    list.Add(new PaperAuthor(AuthorKey.DisplayName(name)));
                    break;
                case JsonValueKind.Object when JsonFields.OptionalString(author, "name") is { Length: > 0 } name && !string.IsNullOrWhiteSpace(name):
                    list.Add(new PaperAuthor(
                        AuthorKey.DisplayName(name),
                        SourceValues.Orcid(JsonFields.OptionalString(author, "orcid")),
                        (JsonFields.Institutions(author, "affiliations") is { Count: > 0 } many ? many : JsonFields.Institutions(author, "affiliation")) is { Count: > 0 } institutions ? institutions : null));
                    break;
                default:
                    throw new FormatException("every author must be a non-empty name or an object with a \"name\"");
            }
        }

        return list;
    }
}

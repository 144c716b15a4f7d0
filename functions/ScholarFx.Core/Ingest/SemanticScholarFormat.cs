using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Semantic Scholar Graph API papers: one paper, a JSON list (the batch endpoint, whose unknown ids come back as
/// <c>null</c>), a <c>data</c> page (search), or JSON Lines. Ids from <c>paperId</c> and <c>externalIds</c>
/// (<c>ArXiv</c>, <c>DOI</c>); citations are <c>citationCount</c>. Categories are Semantic Scholar's fields of study:
/// <c>fieldsOfStudy</c>, else the distinct <c>s2FieldsOfStudy</c> categories (external ones before the model's).
/// </summary>
public sealed class SemanticScholarFormat : JsonRecordFormat
{
    /// <summary>A reader of Semantic Scholar papers.</summary>
    public SemanticScholarFormat()
        : base("data")
    {
    }

    /// <inheritdoc/>
    public override string Name => "semantic-scholar";

    /// <inheritdoc/>
    public override bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        HasAnyProperty(head, "paperId", "externalIds");

    /// <inheritdoc/>
    private protected override ReadItem ToRecord(JsonElement element, string location)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return ReadItem.Fail(location, "null: the API found no paper for this id");
        }

        return JsonFields.Map(element, location, paper =>
        {
            var external = JsonFields.Child(paper, "externalIds", JsonValueKind.Object);
            return new SourceRecord
            {
                Source = Name,
                Location = location,
                SemanticScholarId = JsonFields.OptionalString(paper, "paperId"),
                ArxivId = external is { } a ? JsonFields.OptionalString(a, "ArXiv") : null,
                Doi = external is { } d ? JsonFields.OptionalString(d, "DOI") : null,
                Title = SourceValues.Text(JsonFields.OptionalString(paper, "title")),
                Abstract = SourceValues.Text(JsonFields.OptionalString(paper, "abstract")),
                Authors = Authors(paper),
                Categories = Categories(paper),
                Published = JsonFields.Date(paper, "publicationDate"),
                PublishedPartly = JsonFields.OptionalString(paper, "year"),
                Citations = JsonFields.Count(paper, "citationCount"),
            };
        });
    }

    private static IReadOnlyList<PaperAuthor> Authors(JsonElement paper) =>
        [.. JsonFields.Array(paper, "authors").Select(author =>
            SourceValues.Text(JsonFields.OptionalString(author, "name")) is { } name
                ? new PaperAuthor(
                    AuthorKey.DisplayName(name),
                    null,
                    JsonFields.Institutions(author, "affiliations") is { Count: > 0 } institutions ? institutions : null,
                    SourceValues.Text(JsonFields.OptionalString(author, "authorId")) is { } id ? ["s2:" + id] : null)
                : throw new FormatException("every author needs a \"name\""))];

    private static IReadOnlyList<string> Categories(JsonElement paper)
    {
        var fields = JsonFields.Categories(paper, "fieldsOfStudy");
        if (fields.Count > 0)
        {
            return fields;
        }

        var s2Fields = JsonFields.Array(paper, "s2FieldsOfStudy")
            .OrderBy(f => JsonFields.OptionalString(f, "source") == "external" ? 0 : 1)
            .Select(f => JsonFields.OptionalString(f, "category"));
        return JsonFields.Distinct(s2Fields);
    }
}

using System.Globalization;
using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// The arXiv metadata snapshot: JSON Lines, one paper per line with <c>id</c>, <c>title</c>, <c>abstract</c>,
/// <c>authors_parsed</c> (<c>[[last, first, suffix]]</c>), space-separated <c>categories</c> (primary first),
/// <c>versions</c> (<c>[{ "version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT" }]</c>) and <c>doi</c>.
/// The publication date is the date v1 was created; <c>update_date</c> is the last revision, so it is not used.
/// Titles, abstracts and names are arXiv's LaTeX source and are cleaned to text (<see cref="LatexText"/>).
/// </summary>
public sealed class ArxivSnapshotFormat : JsonRecordFormat
{
    private static readonly string[] CreatedFormats = ["ddd, d MMM yyyy HH:mm:ss 'GMT'", "r", "yyyy-MM-dd"];
    /// <inheritdoc/>
    public override string Name => "arxiv-snapshot";

    /// <inheritdoc/>
    public override bool Recognises(ReadOnlySpan<byte> head, string fileName)
    {
        var names = JsonRecordStream.PropertyNames(head);
        return names.Contains("authors_parsed") || (names.Contains("versions") && names.Contains("update_date"));
    }

    /// <inheritdoc/>
    private protected override ReadItem ToRecord(JsonElement element, string location) => JsonFields.Map(element, location, paper => new SourceRecord
    {
        Source = Name,
        Location = location,
        ArxivId = JsonFields.OptionalString(paper, "id"),
        Title = LatexText.Clean(JsonFields.OptionalString(paper, "title")),
        Abstract = LatexText.Clean(JsonFields.OptionalString(paper, "abstract")),
        Authors = Authors(paper),
        Categories = JsonFields.Categories(paper, "categories"),
        Published = FirstVersionDate(paper),
        // The snapshot may list several DOIs separated by spaces; the first is the paper's.
        Doi = JsonFields.OptionalString(paper, "doi")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(),
    });

    private static IReadOnlyList<PaperAuthor> Authors(JsonElement paper)
    {
        var parsed = JsonFields.Array(paper, "authors_parsed").ToList();
        if (parsed.Count == 0)
        {
            // Older dumps have only the free-text list: "A. Author, B. Author and C. Author".
            var text = JsonFields.OptionalString(paper, "authors") ?? "";
            return [.. text.Replace(" and ", ",", StringComparison.Ordinal).Split(',')
                .Select(LatexText.Clean).OfType<string>().Select(n => new PaperAuthor(AuthorKey.DisplayName(n)))];
        }

        var authors = new List<PaperAuthor>();
        foreach (var parts in parsed)
        {
            if (parts.ValueKind != JsonValueKind.Array || parts.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
            {
                throw new FormatException("\"authors_parsed\" must be a list of [last, first, suffix] string lists");
            }

            var names = parts.EnumerateArray().Select(JsonFields.Text).ToList();
            var name = LatexText.Clean(string.Join(' ', names.Skip(1).Take(1).Append(names.FirstOrDefault()).Concat(names.Skip(2))));
            if (name is not null)
            {
                authors.Add(new PaperAuthor(AuthorKey.DisplayName(name)));
            }
        }

        return authors;
    }

    private static DateOnly? FirstVersionDate(JsonElement paper)
    {
        DateOnly? earliest = null;
        foreach (var version in JsonFields.Array(paper, "versions"))
        {
            var created = JsonFields.OptionalString(version, "created");
            if (created is null)
            {
                continue;
            }

            if (!DateTime.TryParseExact(created.Trim(), CreatedFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            {
                throw new FormatException($"\"versions\" has a \"created\" date that is not an RFC 1123 date (like \"Mon, 2 Apr 2007 19:18:42 GMT\"): {created}");
            }

            var day = DateOnly.FromDateTime(date);
            earliest = earliest is null || day < earliest ? day : earliest;
        }

        return earliest;
    }
}

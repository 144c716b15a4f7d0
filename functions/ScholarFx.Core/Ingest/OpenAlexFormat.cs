using System.Text.Json;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// OpenAlex works: one work object, an array of them, a <c>results</c> page, or JSON Lines. The abstract is rebuilt
/// from <c>abstract_inverted_index</c> (<c>{ word: [positions] }</c>); citations are <c>cited_by_count</c>.
/// Categories are OpenAlex's, not arXiv's: the subfield of <c>primary_topic</c> first (the level that compares with
/// an arXiv category, e.g. "Artificial Intelligence"), then the subfields of the other <c>topics</c>; works without
/// topics (older records) use their <c>concepts</c> below the top level, highest score first.
/// Per-year citations are <c>counts_by_year</c>; institutions are each authorship's <c>institutions</c>; a work with
/// <c>is_retracted: true</c> leaves profiles (<c>false</c> reinstates it).
/// The arXiv id comes from an arXiv landing page or PDF link in <c>locations</c>, <c>ids.arxiv</c>, or an arXiv DOI.
/// </summary>
public sealed class OpenAlexFormat : JsonRecordFormat
{
    /// <summary>Most words an inverted-index abstract may have; a larger position is refused, not allocated.</summary>
    public const int MaxAbstractWords = 20_000;

    /// <summary>A reader of OpenAlex works.</summary>
    public OpenAlexFormat()
        : base("results")
    {
    }

    /// <inheritdoc/>
    public override string Name => "openalex";

    /// <inheritdoc/>
    public override bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        HasAnyProperty(head, "abstract_inverted_index", "authorships", "cited_by_count");

    /// <inheritdoc/>
    private protected override ReadItem ToRecord(JsonElement element, string location) =>
        JsonFields.Map(element, location, work =>
        {
            var ids = JsonFields.Child(work, "ids", JsonValueKind.Object);
            var doi = JsonFields.OptionalString(work, "doi") ?? (ids is { } i ? JsonFields.OptionalString(i, "doi") : null);
            return new SourceRecord
            {
                Source = Name,
                Location = location,
                OpenAlexId = JsonFields.OptionalString(work, "id") ?? (ids is { } j ? JsonFields.OptionalString(j, "openalex") : null),
                Doi = doi,
                ArxivId = ArxivId(work, ids, doi),
                Title = SourceValues.Text(JsonFields.OptionalString(work, "title") ?? JsonFields.OptionalString(work, "display_name")),
                Abstract = Abstract(work),
                Authors = Authors(work),
                Categories = Categories(work),
                Published = JsonFields.Date(work, "publication_date"),
                PublishedPartly = JsonFields.OptionalString(work, "publication_year"),
                Citations = JsonFields.Count(work, "cited_by_count"),
                CitationsByYear = JsonFields.YearCounts(work, "counts_by_year", "cited_by_count"),
                Retracted = JsonFields.Flag(work, "is_retracted"),
            };
        });

    /// <summary>The abstract in reading order from <c>{ word: [positions] }</c>.</summary>
    internal static string? Abstract(JsonElement work)
    {
        if (!work.TryGetProperty("abstract_inverted_index", out var index) || index.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (index.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"abstract_inverted_index\" must be an object of word: [positions]");
        }

        var words = new SortedDictionary<int, string>();
        foreach (var word in index.EnumerateObject())
        {
            if (word.Value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("\"abstract_inverted_index\" must map each word to a list of positions");
            }

            foreach (var position in word.Value.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Number || !position.TryGetInt32(out var at) || at < 0 || at >= MaxAbstractWords)
                {
                    throw new FormatException($"\"abstract_inverted_index\" has a position that is not a whole number from 0 to {MaxAbstractWords - 1}");
                }

                words[at] = JsonFields.Name(word);
            }
        }

        return SourceValues.Text(string.Join(' ', words.Values));
    }

    private static IReadOnlyList<PaperAuthor> Authors(JsonElement work)
    {
        var authors = new List<PaperAuthor>();
        foreach (var authorship in JsonFields.Array(work, "authorships"))
        {
            var author = JsonFields.Child(authorship, "author", JsonValueKind.Object);
            var name = SourceValues.Text((author is { } a ? JsonFields.OptionalString(a, "display_name") : null) ?? JsonFields.OptionalString(authorship, "raw_author_name"))
                ?? throw new FormatException("every authorship needs \"author.display_name\" or \"raw_author_name\"");
            authors.Add(new PaperAuthor(
                AuthorKey.DisplayName(name),
                author is { } b ? SourceValues.Orcid(JsonFields.OptionalString(b, "orcid")) : null,
                JsonFields.Institutions(authorship, "institutions") is { Count: > 0 } institutions ? institutions : null,
                author is { } c && SourceValues.Text(JsonFields.OptionalString(c, "id")) is { } id ? ["openalex:" + id[(id.LastIndexOf('/') + 1)..]] : null));
        }

        return authors;
    }

    private static IReadOnlyList<string> Categories(JsonElement work)
    {
        var topics = JsonFields.Child(work, "primary_topic", JsonValueKind.Object) is { } primary
            ? JsonFields.Array(work, "topics").Prepend(primary)
            : JsonFields.Array(work, "topics");
        var subfields = JsonFields.Distinct(topics.Select(t => JsonFields.Child(t, "subfield", JsonValueKind.Object) is { } s ? JsonFields.OptionalString(s, "display_name") : null));
        if (subfields.Count > 0)
        {
            return subfields;
        }

        var concepts = JsonFields.Array(work, "concepts")
            .Select(c => (Name: JsonFields.OptionalString(c, "display_name"), Level: Number(c, "level"), Score: Number(c, "score")))
            .Where(c => c.Level > 0)
            .OrderByDescending(c => c.Score);
        return JsonFields.Distinct(concepts.Select(c => c.Name));
    }

    private static double Number(JsonElement element, string name) =>
        JsonFields.Child(element, name, JsonValueKind.Number) is { } value ? value.GetDouble() : 0;

    private static string? ArxivId(JsonElement work, JsonElement? ids, string? doi)
    {
        if (ids is { } i && JsonFields.OptionalString(i, "arxiv") is { } given)
        {
            return SourceValues.ArxivIdFromUrl(given) ?? given;
        }

        foreach (var location in JsonFields.Array(work, "locations"))
        {
            var id = SourceValues.ArxivIdFromUrl(JsonFields.OptionalString(location, "landing_page_url"))
                ?? SourceValues.ArxivIdFromUrl(JsonFields.OptionalString(location, "pdf_url"));
            if (id is not null)
            {
                return id;
            }
        }

        return SourceValues.ArxivIdFromDoi(doi);
    }
}

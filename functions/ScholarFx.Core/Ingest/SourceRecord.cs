using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>One paper as one source describes it, before identity resolution and merge.</summary>
public sealed record SourceRecord
{
    /// <summary>The format the record was read in (<c>arxiv-atom</c>, <c>openalex</c>, …).</summary>
    public required string Source { get; init; }
    /// <summary>Who sent it and when (<see cref="RecordOrigin"/>); <see cref="RecordOrigin.Unknown"/> for a record built in code.</summary>
    public RecordOrigin Origin { get; init; } = RecordOrigin.Unknown;
    public string? GivenId { get; init; }
    public string? Title { get; init; }
    public string? Abstract { get; init; }
    public IReadOnlyList<PaperAuthor> Authors { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public DateOnly? Published { get; init; }
    /// <summary>
    /// The date as far as the source gives it when it has no day (<c>2021</c>, <c>2021-03</c>) and so no
    /// <see cref="Published"/>. No day is made up from it (see <see cref="RecordValidator"/>): it only makes the
    /// record's error say what is missing.
    /// </summary>
    public string? PublishedPartly { get; init; }
    /// <summary>True: the source retracts the paper (it leaves profiles, its record stays); false: it is reinstated; null: not said.</summary>
    public bool? Retracted { get; init; }
    public int? Citations { get; init; }
    /// <summary>Citations received per calendar year, when the source gives them with <see cref="Citations"/>.</summary>
    public IReadOnlyList<YearCount> CitationsByYear { get; init; } = [];
    public string? Doi { get; init; }
    public string? ArxivId { get; init; }
    public string? OpenAlexId { get; init; }
    public string? SemanticScholarId { get; init; }
    /// <summary>Where in the file the record was: "line 12" or "record 3".</summary>
    public required string Location { get; init; }

    /// <summary>Every alias this record gives, most preferred first.</summary>
    public IReadOnlyList<string> Aliases()
    {
        var aliases = new List<string>();
        void Add(string? alias)
        {
            if (alias is not null && !aliases.Contains(alias, StringComparer.Ordinal))
            {
                aliases.Add(alias);
            }
        }

        Add(PaperIdentity.FromGivenId(GivenId));
        Add(PaperIdentity.Arxiv(ArxivId));
        Add(PaperIdentity.Doi(Doi));
        Add(PaperIdentity.OpenAlex(OpenAlexId));
        Add(PaperIdentity.SemanticScholar(SemanticScholarId));
        if (Title is not null && Published is { } published)
        {
            Add(PaperIdentity.TitleKey(Title, published.Year, Authors.Count > 0 ? Authors[0].Name : null));
        }

        return [.. aliases.OrderBy(PaperIdentity.Rank)];
    }
}

/// <summary>What a format reader yields: a record, or an error for a record it could not read.</summary>
public readonly record struct ReadItem(SourceRecord? Record, IngestError? Error)
{
    public static ReadItem Ok(SourceRecord record) => new(record, null);
    public static ReadItem Fail(string location, string message) => new(null, new IngestError(location, message));
}

/// <summary>A problem with one record (or the whole file), reported in the receipt.</summary>
/// <param name="Location">"line 12", "record 3" or "file".</param>
/// <param name="Message">What is wrong, in words a curator can act on.</param>
public sealed record IngestError(string Location, string Message)
{
    /// <summary>True for a warning: the record was kept without the value named (an ORCID iD that fails its check).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Warning { get; init; }
}

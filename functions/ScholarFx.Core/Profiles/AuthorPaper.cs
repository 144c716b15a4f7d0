using System.Text.Json.Serialization;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// A paper as it appears in an author's profile: the row kept in the author's partition (for paging) and in the
/// author's ledger (for rebuilding the profile without a query).
/// </summary>
public sealed record AuthorPaper
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>The first authors of the paper, in order (long lists are cut; see <see cref="AuthorCount"/>).</summary>
    public required IReadOnlyList<string> Authors { get; init; }
    public required int AuthorCount { get; init; }
    public string? Category { get; init; }
    public required DateOnly Published { get; init; }
    public int? Citations { get; init; }
    public double? Novelty { get; init; }
    public double? AiScore { get; init; }
    /// <summary>The paper's pioneer percentile; left out of the ledger's JSON when null (most recent papers have none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Pioneer { get; init; }
    /// <summary>This author's name as the paper writes it.</summary>
    public required string AuthorName { get; init; }
    // The three below are left out of the ledger's JSON when empty: most rows have none, and the ledger is per paper.

    /// <summary>This author's institutions on this paper, as its sources give them; null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Affiliations { get; init; }
    /// <summary>Citations received per calendar year, when the source of the count gives them; null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Papers.YearCount>? CitationsByYear { get; init; }
    /// <summary>This author's ORCID iD on this paper, when a source gave one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Orcid { get; init; }
    /// <summary>An ORCID iD the paper claims for this author that was not joined (docs/identity.md): not this profile's ORCID.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UnconfirmedOrcid { get; init; }
    /// <summary>The sources' own ids of this author on this paper (<c>openalex:A…</c>, <c>s2:…</c>); null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ExternalIds { get; init; }
    /// <summary>Retracted by a source: listed apart in the profile and counted in none of its figures.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retracted { get; init; }

    /// <summary>
    /// A score of the paper is still provisional (given at ingest, not yet settled): the profile shows it, the rankings
    /// do not rank by it until settling (see <c>ProfileBuilder</c>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Provisional { get; init; }

    /// <summary>The row's key in the author's partition: retracted papers sit in their own range, outside paging.</summary>
    [JsonIgnore]
    public string RowKey => Retracted ? Storage.AuthorStore.RetractedRowKey(Published, Id) : Storage.AuthorStore.PaperRowKey(Published, Id);

    /// <summary>Whether two rows say the same (records compare lists by reference).</summary>
    public static bool SameRow(AuthorPaper a, AuthorPaper b) =>
        a.Id == b.Id && a.Title == b.Title && a.AuthorCount == b.AuthorCount && a.Category == b.Category && a.Published == b.Published &&
        a.Citations == b.Citations && a.Novelty == b.Novelty && a.AiScore == b.AiScore && a.Pioneer == b.Pioneer && a.AuthorName == b.AuthorName &&
        a.Retracted == b.Retracted && a.Provisional == b.Provisional && a.Orcid == b.Orcid && a.UnconfirmedOrcid == b.UnconfirmedOrcid && (a.ExternalIds ?? []).SequenceEqual(b.ExternalIds ?? [], StringComparer.Ordinal) && a.Authors.SequenceEqual(b.Authors, StringComparer.Ordinal) &&
        (a.Affiliations ?? []).SequenceEqual(b.Affiliations ?? [], StringComparer.Ordinal) && (a.CitationsByYear ?? []).SequenceEqual(b.CitationsByYear ?? []);
}

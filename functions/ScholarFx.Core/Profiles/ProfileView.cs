namespace ScholarFx.Core.Profiles;

/// <summary>The profile JSON contract (camelCase when serialised).</summary>
public sealed record ProfileView
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? PrimaryCategory { get; init; }
    public required int HIndex { get; init; }
    public required int I10Index { get; init; }
    public required int PaperCount { get; init; }
    public required long CitationCount { get; init; }
    /// <summary>Mean of the author's non-null paper novelty percentiles, rounded; null when none is scored.</summary>
    public int? Novelty { get; init; }
    /// <summary>Mean of the author's non-null paper AI-score percentiles, rounded; null when none is scored.</summary>
    public int? AiScore { get; init; }
    /// <summary>
    /// Mean of the author's paper pioneer percentiles that have a value (how strongly later papers followed them),
    /// rounded; null when none has one yet.
    /// </summary>
    public int? Pioneer { get; init; }
    /// <summary>Papers with a novelty score.</summary>
    public required int ScoredPaperCount { get; init; }
    /// <summary>Papers with an AI score.</summary>
    public required int AiScoredPaperCount { get; init; }
    /// <summary>Papers with a pioneer score (enough later papers in their window).</summary>
    public int PioneerPaperCount { get; init; }
    public string? FirstPublished { get; init; }
    public string? LastPublished { get; init; }
    public required IReadOnlyList<CoAuthorView> CoAuthors { get; init; }
    /// <summary>The author's ORCID iD: the profile's id when it is one, else the one their papers give most; null when none does.</summary>
    public string? Orcid { get; init; }
    /// <summary>Ids of the author elsewhere that sources gave (<c>orcid:…</c>, <c>openalex:A…</c>, <c>s2:…</c>).</summary>
    public IReadOnlyList<string> ExternalIds { get; init; } = [];
    /// <summary>
    /// ORCID iDs papers of this profile claim for the author that were not joined: the name shares no family name with
    /// that ORCID's known names. Shown until a curator confirms the claim (a <c>confirm</c> correction, docs/identity.md).
    /// </summary>
    public IReadOnlyList<string> UnconfirmedOrcids { get; init; } = [];
    /// <summary>Every spelling of the author's name on their papers, the most used first.</summary>
    public IReadOnlyList<string> NameVariants { get; init; } = [];
    /// <summary>Institutions the papers give, the most recent first; empty when no source gives any.</summary>
    public IReadOnlyList<AffiliationView> Affiliations { get; init; } = [];
    /// <summary>Papers (and citations received, where sources count them per year) per calendar year, oldest first.</summary>
    public IReadOnlyList<YearFigures> CountsByYear { get; init; } = [];
    /// <summary>The mean of the papers' citation percentiles (each among its category and year): comparable across fields.</summary>
    public CitationImpactView? CitationImpact { get; init; }
    /// <summary>The figures of the last <c>Profiles__RecentYears</c> calendar years.</summary>
    public RecentFigures? Recent { get; init; }
    public required IReadOnlyList<PaperSummaryView> Papers { get; init; }
    /// <summary>Papers a source retracted: in no figure of the profile, listed here instead of dropped.</summary>
    public IReadOnlyList<PaperSummaryView> RetractedPapers { get; init; } = [];
    /// <summary>Link to the next page of papers, or null when the first page holds them all.</summary>
    public string? NextPapers { get; init; }
    public required ScoringView Scoring { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A co-author and the number of papers shared.</summary>
public sealed record CoAuthorView(string Id, string Name, int Papers);

/// <summary>A paper in a profile or a page of an author's papers.</summary>
public sealed record PaperSummaryView
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required IReadOnlyList<string> Authors { get; init; }
    public required int AuthorCount { get; init; }
    public string? Category { get; init; }
    public required string Published { get; init; }
    public int? Citations { get; init; }
    /// <summary>The citation count's percentile among papers of the same category and year (in profiles; not in paper pages).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public CitationPercentileView? CitationPercentile { get; init; }
    public double? Novelty { get; init; }
    public double? AiScore { get; init; }
    public double? Pioneer { get; init; }
    /// <summary>True when a source retracted the paper (shown only then).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retracted { get; init; }
    /// <summary>Route of the paper's full record.</summary>
    public required string Href { get; init; }

    /// <summary>The view of an author's paper row.</summary>
    public static PaperSummaryView From(AuthorPaper paper) => new()
    {
        Id = paper.Id,
        Title = paper.Title,
        Authors = paper.Authors,
        AuthorCount = paper.AuthorCount,
        Category = paper.Category,
        Published = paper.Published.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Citations = paper.Citations,
        Novelty = paper.Novelty,
        AiScore = paper.AiScore,
        Pioneer = paper.Pioneer,
        Retracted = paper.Retracted,
        Href = "/api/papers/" + Uri.EscapeDataString(paper.Id),
    };
}

/// <summary>Which models produced the scores a profile shows.</summary>
public sealed record ScoringView(string? EmbeddingModel, string? AiModel);

using System.Globalization;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Papers;

/// <summary>The paper JSON contract of <c>GET /api/papers/{id}</c>.</summary>
public sealed record PaperView
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Abstract { get; init; }
    public required IReadOnlyList<PaperAuthorView> Authors { get; init; }
    public string? Category { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required string Published { get; init; }
    public int? Citations { get; init; }
    public DateTimeOffset? CitationsAsOf { get; init; }
    /// <summary>The format whose count <see cref="Citations"/> is (<c>openalex</c>, <c>semantic-scholar</c>, …).</summary>
    public string? CitationsSource { get; init; }
    /// <summary>Citations received per calendar year, as that source gave them; empty when it gave none.</summary>
    public IReadOnlyList<YearCount> CitationsByYear { get; init; } = [];
    /// <summary>Retracted by a source: still served here, in no profile.</summary>
    public bool Retracted { get; init; }
    public DateTimeOffset? RetractedAt { get; init; }
    public double? Novelty { get; init; }
    public double? AiScore { get; init; }
    /// <summary>How strongly later papers followed this one, as a cohort percentile; null (with the reason in <see cref="PioneerExplanation"/>) until enough later papers exist.</summary>
    public double? Pioneer { get; init; }
    public required IReadOnlyList<string> Aliases { get; init; }
    public required IReadOnlyList<string> Sources { get; init; }
    /// <summary>Who sent the paper (folders of <c>abstracts</c>: <c>lab-a</c>, <c>harvest/arxiv</c>), in the precedence its fields were taken in.</summary>
    public IReadOnlyList<string> Uploaders { get; init; } = [];
    /// <summary>Values sources gave that the paper does not show (a source ranked above gave another, or only trusted sources may say it).</summary>
    public IReadOnlyList<PaperConflict> Conflicts { get; init; } = [];
    public required NoveltyExplanationView NoveltyExplanation { get; init; }
    public required AiAssessmentView AiAssessment { get; init; }
    public PioneerExplanationView PioneerExplanation { get; init; } = PioneerExplanationView.From(Score.NotScored, new Dictionary<string, string>());
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// An author of a paper with the profile they resolve to; <c>orcidUnconfirmed</c> (true only, else absent) when the
/// source's ORCID iD is a claim that was not joined (docs/identity.md): the author is in the name's profile, not the iD's.
/// </summary>
public sealed record PaperAuthorView(
    string Name,
    string Id,
    string? Orcid,
    string Href,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool OrcidUnconfirmed = false);

/// <summary>
/// The <c>noveltyExplanation</c> of a paper, flat like <c>aiAssessment</c>: the published percentile, the nearest
/// earlier papers (with their titles, looked up when shown), k, the raw value and its two parts, the definition, the
/// reference set, why there is no value, the model and version, and whether it still waits to be settled.
/// </summary>
public sealed record NoveltyExplanationView(
    double? Value,
    IReadOnlyList<NeighbourView> Neighbours,
    int? K,
    double? Raw,
    double? NearestDistance,
    double? NeighbourhoodDistance,
    string? Definition,
    ReferenceSet? Reference,
    string? Reason,
    string? Model,
    string? Version,
    bool Provisional);

/// <summary>
/// The <c>pioneerExplanation</c> of a paper, flat like <c>noveltyExplanation</c>: the published percentile, the later
/// papers that followed it most closely (with their titles, looked up when shown) and how many did, the later papers in
/// its window, the credit and raw value, the paper it is a version of (its followers are credited there), the window,
/// the definition, the reference set, why there is no value, the model and version. The counts are as of the settling
/// that last changed the score.
/// </summary>
public sealed record PioneerExplanationView(
    double? Value,
    IReadOnlyList<FollowerView> Followers,
    int? FollowerCount,
    int? LaterPapers,
    double? Credit,
    double? Raw,
    string? VersionOf,
    int? K,
    int? WindowDays,
    int? LagDays,
    int? MinimumLater,
    string? Definition,
    ReferenceSet? Reference,
    string? Reason,
    string? Model,
    string? Version)
{
    /// <summary>The view of a stored pioneer score, the followers' titles from <paramref name="titles"/>.</summary>
    public static PioneerExplanationView From(Score score, IReadOnlyDictionary<string, string> titles)
    {
        var e = score.Explanation<Scoring.Pioneer.PioneerExplanation>();
        return new(
            score.Value,
            [.. (e?.Followers ?? []).Select(f => new FollowerView(f.Id, titles.GetValueOrDefault(f.Id), f.Published, f.Rank, f.Similarity, "/api/papers/" + Uri.EscapeDataString(f.Id)))],
            e?.Counts.Followers,
            e?.Counts.LaterPapers,
            e?.Counts.Credit,
            e?.Counts.Raw,
            e?.VersionOf,
            e?.K,
            e?.WindowDays,
            e?.LagDays,
            e?.MinimumLater,
            e?.Definition,
            e?.Reference,
            score.Reason,
            score.Model,
            score.Version);
    }
}

/// <summary>A later paper that followed this one: it had this paper at <c>rank</c> among its nearest earlier papers.</summary>
public sealed record FollowerView(string Id, string? Title, string Published, int Rank, double Similarity, string Href);

/// <summary>An earlier paper near this one.</summary>
public sealed record NeighbourView(string Id, string? Title, string Published, double Similarity, string Href);

/// <summary>
/// The <c>aiAssessment</c> of a paper: the published percentile, the assessor's summary, rationale and rubric, the raw
/// score (the rubric mean with significance scaled by <c>significanceFactor</c> for nearness to earlier work), the
/// model and prompt version, the reference set it was ranked in, or why there is none.
/// </summary>
public sealed record AiAssessmentView(
    double? Value,
    string? Summary,
    string? Rationale,
    Scoring.Ai.Rubric? Rubric,
    double? SignificanceFactor,
    double? Raw,
    string? Model,
    string? PromptVersion,
    ReferenceSet? Reference,
    string? Reason,
    bool Provisional)
{
    public static AiAssessmentView From(Score score)
    {
        var e = score.Explanation<Scoring.Ai.AiExplanation>();
        return new(score.Value, e?.Summary, e?.Rationale, e?.Rubric, e?.SignificanceFactor, e?.Raw, score.Model, score.Version, e?.Reference, score.Reason, e?.Provisional == true);
    }
}

/// <summary>Reads of single papers.</summary>
public interface IPaperQueries
{
    /// <summary>The paper with this id or any of its aliases (ids replaced by a merge keep resolving); null when unknown.</summary>
    Task<PaperView?> GetPaperAsync(string paperId, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IPaperQueries"/>
public sealed class PaperQueries(IPaperStore papers) : IPaperQueries
{
    /// <inheritdoc/>
    public async Task<PaperView?> GetPaperAsync(string paperId, CancellationToken cancellationToken)
    {
        var id = paperId.Trim();
        var paper = await papers.GetPaperAsync(id, cancellationToken).ConfigureAwait(false);
        if (paper is null)
        {
            // Not a canonical id: try it as an alias, normalised the way ids are ("arxiv:2303.11698v2", "doi:10.1000/XYZ").
            var alias = PaperIdentity.FromGivenId(id);
            var candidates = new[] { id, alias }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var resolved = await papers.ResolveAliasesAsync(candidates, cancellationToken).ConfigureAwait(false);
            var target = candidates.Select(c => resolved.GetValueOrDefault(c)).FirstOrDefault(t => t is not null);
            paper = target is null ? null : await papers.GetPaperAsync(target, cancellationToken).ConfigureAwait(false);
        }

        if (paper is null)
        {
            return null;
        }

        var novelty = paper.Scores.Novelty.Explanation<Scoring.Novelty.NoveltyExplanation>();
        var pioneer = paper.Scores.Pioneer.Explanation<Scoring.Pioneer.PioneerExplanation>();
        var titles = await papers.GetTitlesAsync([.. (novelty?.Neighbours ?? []).Select(n => n.Id).Concat((pioneer?.Followers ?? []).Select(f => f.Id)).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        return ToView(paper, titles);
    }

    private static PaperView ToView(Paper paper, IReadOnlyDictionary<string, string> titles) => new()
    {
        Id = paper.Id,
        Title = paper.Title,
        Abstract = paper.Abstract,
        Authors = [.. paper.Authors.Select(a => new PaperAuthorView(a.Name, a.Id, a.Orcid, "/api/profiles/" + Uri.EscapeDataString(a.Id), a.OrcidUnconfirmed))],
        Category = paper.PrimaryCategory,
        Categories = paper.Categories,
        Published = paper.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Citations = paper.Citations,
        CitationsAsOf = paper.CitationsAsOf,
        CitationsSource = paper.CitationsSource,
        CitationsByYear = paper.CitationsByYear,
        Retracted = paper.Retracted,
        RetractedAt = paper.RetractedAt,
        Novelty = paper.Scores.Novelty.Value,
        AiScore = paper.Scores.AiScore.Value,
        Pioneer = paper.Scores.Pioneer.Value,
        Aliases = paper.Aliases,
        Sources = paper.Sources,
        Uploaders = [.. paper.Claims.Select(c => c.Uploader).Distinct(StringComparer.Ordinal)],
        Conflicts = paper.Conflicts,
        NoveltyExplanation = NoveltyView(paper.Scores.Novelty, titles),
        AiAssessment = AiAssessmentView.From(paper.Scores.AiScore),
        PioneerExplanation = PioneerExplanationView.From(paper.Scores.Pioneer, titles),
        UpdatedAt = paper.UpdatedAt,
    };

    /// <summary>The novelty explanation as served, the neighbours' titles from <paramref name="titles"/>.</summary>
    internal static NoveltyExplanationView NoveltyView(Score score, IReadOnlyDictionary<string, string> titles)
    {
        var novelty = score.Explanation<Scoring.Novelty.NoveltyExplanation>();
        return new NoveltyExplanationView(
            score.Value,
            [.. (novelty?.Neighbours ?? []).Select(n => new NeighbourView(n.Id, titles.GetValueOrDefault(n.Id), n.Published, n.Similarity, "/api/papers/" + Uri.EscapeDataString(n.Id)))],
            novelty?.K,
            novelty?.Raw,
            novelty?.NearestDistance,
            novelty?.NeighbourhoodDistance,
            novelty?.Definition,
            novelty?.Reference,
            score.Reason,
            score.Model,
            score.Version,
            novelty?.Provisional == true);
    }
}

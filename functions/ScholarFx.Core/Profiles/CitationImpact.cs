using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// A paper's citation percentile and the papers it was taken among: <c>set</c> <c>category-year</c> (its primary
/// category and publication year) or <c>year</c> (every category of the year), and their number; or the reason there
/// is none. Kept flat and without empty fields: a profile carries one for each paper of its first page.
/// </summary>
public sealed record CitationPercentileView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Set,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Size,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

/// <summary>The author's mean citation percentile over their papers that have one.</summary>
public sealed record CitationImpactView(double? MeanPercentile, int Papers);

/// <summary>Where profiles get the citation cohorts from: the shared corpus view, or none (tests, tools).</summary>
public interface ICitationCohortSource
{
    /// <summary>The cohorts as of now (a snapshot at most <see cref="CitationImpact.MaxAge"/> old).</summary>
    Task<CitationCohorts> GetAsync(CancellationToken cancellationToken);

    /// <summary>Smallest category-and-year cohort before a percentile is taken among the whole year.</summary>
    int MinimumSize { get; }
}

/// <summary>
/// Comparable citation impact (docs/architecture.md, "Citation percentile"): each paper's citation count as a percentile
/// among papers of the same primary category and publication year, with the same percentile rule and minimum
/// cohort size as the scores (<see cref="CohortPercentile"/>, <see cref="NoveltyOptions.MinimumCohort"/>), so a cs.CL
/// author can be compared with a math.PR one. The cohorts come from the shared corpus view: one snapshot serves until
/// this process publishes papers again or <see cref="MaxAge"/> passes (other instances' papers), so the profiles of a
/// batch share one walk of the corpus and see the batch's own papers.
/// </summary>
public sealed class CitationImpact(CorpusView view, IOptions<NoveltyOptions> options, TimeProvider clock) : ICitationCohortSource
{
    /// <summary>How long one snapshot of the cohorts serves.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private (CitationCohorts Cohorts, DateTimeOffset Taken, long Publishes)? snapshot;

    /// <inheritdoc/>
    public int MinimumSize => options.Value.MinimumCohort;

    /// <inheritdoc/>
    public async Task<CitationCohorts> GetAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } fresh)
        {
            return fresh;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } other)
            {
                return other;
            }

            var publishes = view.Publishes;
            var cohorts = await view.UseAsync(state => state.CitationCohorts(), cancellationToken).ConfigureAwait(false);
            snapshot = (cohorts, clock.GetUtcNow(), publishes);
            return cohorts;
        }
        finally
        {
            gate.Release();
        }
    }

    private CitationCohorts? Current() =>
        snapshot is { } s && s.Publishes == view.Publishes && clock.GetUtcNow() - s.Taken < MaxAge ? s.Cohorts : null;

    /// <summary>A paper's citation percentile, or null with the reason (no count from any source, or no cohort).</summary>
    public static CitationPercentileView Of(CitationCohorts cohorts, int minimumSize, AuthorPaper paper)
    {
        if (paper.Citations is not { } citations)
        {
            return new CitationPercentileView(null, null, null, "no source gave a citation count");
        }

        var (value, reference, reason) = cohorts.Percentile(paper.Category, paper.Published.Year, citations, minimumSize);
        return new CitationPercentileView(value, reference?.Set, reference?.Size, reason);
    }

    /// <summary>The mean of the papers' percentiles (one decimal), over those that have one.</summary>
    public static CitationImpactView Mean(IEnumerable<CitationPercentileView> papers)
    {
        var values = papers.Where(p => p.Value is not null).Select(p => (decimal)p.Value!.Value).ToList();
        return new CitationImpactView(
            values.Count == 0 ? null : (double)Math.Round(values.Average(), 1, MidpointRounding.AwayFromZero),
            values.Count);
    }
}

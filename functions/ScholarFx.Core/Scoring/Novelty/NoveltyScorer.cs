using System.Text.Json;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.View;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// Novelty (docs/architecture.md, Scores): raw = the relative nearest distance to strictly earlier papers, same work
/// excluded (<see cref="RelativeNearestDistance"/>); score = historical cohort percentile of raw, one decimal; null with
/// a reason when it cannot be computed. The definition was chosen by the validity harness (docs/validity.md). At ingest
/// a batch gets provisional scores from the shared corpus view as it stands (<see cref="ScoreAsync"/>); settling
/// recomputes what changed from the whole view (<see cref="Recompute"/>, then <c>ScoreOf</c>).
/// </summary>
public sealed class NoveltyScorer(CorpusView view, EmbeddingStage embeddings) : IBatchScorer
{
    /// <summary>
    /// Version of the novelty definition; a change rescores every paper. novelty/3 is novelty/2 on 8-bit vectors
    /// (<see cref="Int8Vector"/>): the same definition, similarities that differ in the third decimal.
    /// </summary>
    public const string Version = "novelty/3";

    /// <summary>The definition named in every explanation.</summary>
    public const string Definition = "relative nearest distance: (1 − similarity of the nearest earlier paper) / mean pairwise distance among the k nearest earlier papers";

    /// <inheritdoc/>
    public ScoreKind Kind => ScoreKind.Novelty;

    /// <inheritdoc/>
    public string Model => embeddings.Model;

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, Score>> ScoreAsync(ScoringBatch batch, CancellationToken cancellationToken)
    {
        var scores = new Dictionary<string, Score>(StringComparer.Ordinal);
        var entries = new List<CorpusEntry>();
        foreach (var paper in batch.Papers)
        {
            if (paper.Embedding is null || !embeddings.IsCurrent(paper))
            {
                scores[paper.Id] = Score.Unavailable("no embedding (the embedding model failed); retried at the next rescore", Model, Version);
                continue;
            }

            entries.Add(ToEntry(paper));
        }

        return await view.UseAsync(
            state =>
            {
                var found = state.Index.Provisional(entries);
                for (var i = 0; i < entries.Count; i++)
                {
                    var (neighbours, measure) = found[i];
                    entries[i].Nearest = neighbours;
                    entries[i].Raw = measure?.Raw;
                    entries[i].Spacing = measure?.Spacing;
                }

                // The batch ranks against the view and against its own earlier papers.
                foreach (var entry in entries)
                {
                    var ranked = entry.Raw is { } raw ? state.Index.Percentile(raw, entry.Category, entry.Published, entries) : (null, null);
                    scores[entry.Id] = ScoreOf(state.Index, entry, Model, ranked, provisional: true);
                }

                return (IReadOnlyDictionary<string, Score>)scores;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The index entry of a paper with a current embedding.</summary>
    public static CorpusEntry ToEntry(Paper paper) => new()
    {
        Id = paper.Id,
        Published = paper.Published,
        Category = paper.PrimaryCategory,
        AliasKeys = WorkKeys.Of(paper.Aliases.Append(paper.Id)),
        AuthorKeys = WorkKeys.Of(paper.Authors.Select(a => a.NameKey)),
        Vector = paper.Embedding!.Vector,
    };

    /// <summary>Recomputes neighbours and raw values (all before any percentile, so a batch sees its own earlier papers).</summary>
    internal static void Recompute(NoveltyIndex index, IReadOnlyList<CorpusEntry> entries)
    {
        // Many queries share each pass over the candidates as blocked matrix products; a few go one by one.
        if (entries.Count >= BulkThreshold)
        {
            var neighbours = index.NearestMany(entries);
            for (var i = 0; i < entries.Count; i++)
            {
                Apply(index, entries[i], neighbours[i]);
            }

            return;
        }

        Parallel.ForEach(entries, entry => Apply(index, entry, index.Nearest(entry)));
    }

    /// <summary>Queries at which <see cref="Recompute"/> switches to blocked search.</summary>
    internal const int BulkThreshold = 64;

    private static void Apply(NoveltyIndex index, CorpusEntry entry, Near[] neighbours)
    {
        var measure = index.Measure(neighbours);
        entry.Nearest = neighbours;
        entry.Raw = measure?.Raw;
        entry.Spacing = measure?.Spacing;
        entry.Stale = false;
    }

    /// <summary>The settled score of an entry whose raw value is current.</summary>
    internal static Score ScoreOf(NoveltyIndex index, CorpusEntry entry, string model) =>
        ScoreOf(index, entry, model, entry.Raw is { } raw ? index.Percentile(raw, entry.Category, entry.Published) : (null, null));

    /// <summary>The score given the entry's percentile (from <see cref="NoveltyIndex.PercentileAll"/> in bulk); provisional at ingest.</summary>
    internal static Score ScoreOf(NoveltyIndex index, CorpusEntry entry, string model, (double? Percentile, ReferenceSet? Reference) ranked, bool provisional = false)
    {
        if (entry.Raw is null)
        {
            var reason = $"fewer than {index.K} earlier papers to compare with ({entry.Nearest.Length} found)";
            return new Score(null, reason, model, Version, Explain(index, entry, null, reason, provisional));
        }

        var (percentile, reference) = ranked;
        if (percentile is null)
        {
            const string reason = "no earlier scored papers to rank against yet";
            return new Score(null, reason, model, Version, Explain(index, entry, null, reason, provisional));
        }

        return new Score(percentile, null, model, Version, Explain(index, entry, reference, null, provisional));
    }

    private static JsonElement Explain(NoveltyIndex index, CorpusEntry entry, ReferenceSet? reference, string? reason, bool provisional) =>
        JsonSerializer.SerializeToElement(
            new NoveltyExplanation(
                entry.Neighbours,
                index.K,
                entry.Raw,
                entry.Raw is null || entry.Nearest.Length == 0 ? null : 1 - (double)entry.Nearest[0].Similarity,
                entry.Spacing,
                Definition,
                reference,
                reason)
            {
                Provisional = provisional ? true : null,
            },
            ScholarFxJson.Options);

    // Values are stored unrounded: the corpus view restores them from the stored explanation, and settling must rank
    // the same numbers on every instance.
}

/// <summary>The <c>noveltyExplanation</c> of a paper: its neighbours, the parts of its raw value, the definition, and the reference set.</summary>
/// <param name="Neighbours">The k nearest strictly earlier papers, most similar first.</param>
/// <param name="K">k.</param>
/// <param name="Raw">NearestDistance / NeighbourhoodDistance.</param>
/// <param name="NearestDistance">1 − similarity of the nearest earlier paper.</param>
/// <param name="NeighbourhoodDistance">Mean pairwise distance among the neighbours.</param>
/// <param name="Definition">The definition that produced the raw value.</param>
/// <param name="Reference">The cohort the percentile was taken in.</param>
/// <param name="Reason">Why there is no value, when there is none.</param>
public sealed record NoveltyExplanation(
    IReadOnlyList<Neighbour> Neighbours,
    int K,
    double? Raw,
    double? NearestDistance,
    double? NeighbourhoodDistance,
    string? Definition,
    ReferenceSet? Reference,
    string? Reason)
{
    /// <summary>True while the score was given at ingest and waits to be settled against the whole corpus.</summary>
    public bool? Provisional { get; init; }
}

using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// Novelty (docs/architecture.md, Scores): raw = the relative nearest distance to strictly earlier papers, same work
/// excluded (<see cref="NoveltyIndex.Measure"/>); score = historical cohort percentile of raw, one decimal; null with a
/// reason when it cannot be computed. The definition was chosen by the validity harness (docs/validity.md).
/// </summary>
public sealed class NoveltyScorer(NoveltyCorpus corpus, EmbeddingStage embeddings, RescoreQueue queue, ILogger<NoveltyScorer> logger) : IBatchScorer
{
    /// <summary>Version of the novelty definition; a change rescores every paper.</summary>
    public const string Version = "novelty/2";

    /// <summary>The definition named in every explanation.</summary>
    public const string Definition = "relative nearest distance: (1 − similarity of the nearest earlier paper) / mean pairwise distance among the k nearest earlier papers";

    /// <inheritdoc/>
    public ScoreKind Kind => ScoreKind.Novelty;

    /// <inheritdoc/>
    public string Model => embeddings.Model;

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, Score>> ScoreAsync(ScoringBatch batch, CancellationToken cancellationToken)
    {
        var index = await corpus.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        var scores = new Dictionary<string, Score>(StringComparer.Ordinal);
        var entries = new List<CorpusEntry>();
        foreach (var paper in batch.Papers)
        {
            if (paper.Embedding is null || !embeddings.IsCurrent(paper))
            {
                scores[paper.Id] = Score.Unavailable("no embedding (the embedding model failed); retried at the next rescore", Model, Version);
                continue;
            }

            entries.Add(NoveltyCorpus.ToEntry(paper));
        }

        var stale = index.Upsert(entries);
        if (stale.Count > 0)
        {
            // Backfill: later papers whose neighbourhood this batch changed are rescored tonight.
            logger.LogInformation("{Count} later papers queued for rescoring after a backfill of {BatchCount} papers", stale.Count, entries.Count);
            await queue.AddAsync(stale.Select(s => s.Id), cancellationToken).ConfigureAwait(false);
        }

        Recompute(index, entries);
        foreach (var entry in entries)
        {
            scores[entry.Id] = ScoreOf(index, entry, Model);
        }

        return scores;
    }

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

    private static void Apply(NoveltyIndex index, CorpusEntry entry, IReadOnlyList<Neighbour> neighbours)
    {
        var measure = index.Measure(neighbours);
        entry.Neighbours = neighbours;
        entry.Raw = measure?.Raw;
        entry.Spacing = measure?.Spacing;
        entry.Stale = false;
    }

    /// <summary>The published score of an entry whose raw value is current.</summary>
    internal static Score ScoreOf(NoveltyIndex index, CorpusEntry entry, string model) =>
        ScoreOf(index, entry, model, entry.Raw is { } raw ? index.Percentile(raw, entry.Category, entry.Published) : (null, null));

    /// <summary>The published score given the entry's percentile (from <see cref="NoveltyIndex.PercentileAll"/> in bulk).</summary>
    internal static Score ScoreOf(NoveltyIndex index, CorpusEntry entry, string model, (double? Percentile, ReferenceSet? Reference) ranked)
    {
        if (entry.Raw is null)
        {
            var reason = $"fewer than {index.K} earlier papers to compare with ({entry.Neighbours.Count} found)";
            return new Score(null, reason, model, Version, Explain(index, entry, null, reason));
        }

        var (percentile, reference) = ranked;
        if (percentile is null)
        {
            const string reason = "no earlier scored papers to rank against yet";
            return new Score(null, reason, model, Version, Explain(index, entry, null, reason));
        }

        return new Score(percentile, null, model, Version, Explain(index, entry, reference, null));
    }

    private static JsonElement Explain(NoveltyIndex index, CorpusEntry entry, ReferenceSet? reference, string? reason) =>
        JsonSerializer.SerializeToElement(
            new NoveltyExplanation(
                entry.Neighbours,
                index.K,
                Round(entry.Raw),
                entry.Raw is null || entry.Neighbours.Count == 0 ? null : Math.Round(1 - entry.Neighbours[0].Similarity, 6),
                Round(entry.Spacing),
                Definition,
                reference,
                reason),
            ScholarFxJson.Options);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;
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
    string? Reason);

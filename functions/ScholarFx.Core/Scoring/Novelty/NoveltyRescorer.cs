using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// The novelty part of the nightly rescore: embeds papers that lack a current embedding, recomputes the raw value
/// of papers whose earlier neighbourhood changed (backfill, replaced neighbours, a new model, too few neighbours
/// before), re-ranks every paper against its cohort, and writes only the papers whose score changed.
/// </summary>
public sealed class NoveltyRescorer(
    NoveltyCorpus corpus,
    NoveltyScorer scorer,
    EmbeddingStage embeddings,
    IPaperStore papers,
    ScoreWriter writer,
    RescoreQueue queue,
    ILogger<NoveltyRescorer> logger)
{
    /// <summary>
    /// Runs the pass; returns the ids of papers whose novelty changed (their authors need rebuilding) and every paper's
    /// raw value (the AI score scales significance by it).
    /// </summary>
    public async Task<(IReadOnlyList<string> Changed, IReadOnlyDictionary<string, double?> Raw)> RunAsync(CancellationToken cancellationToken)
    {
        var index = await corpus.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var queued = await queue.ListAsync(cancellationToken).ConfigureAwait(false);

        // 1. Papers stored before embeddings existed, or under another model.
        var embedded = 0;
        foreach (var chunk in corpus.Unembedded.Chunk(100))
        {
            var loaded = await papers.GetPapersAsync(chunk, cancellationToken).ConfigureAwait(false);

            var withVectors = await embeddings.AttachAsync(loaded, cancellationToken).ConfigureAwait(false);
            foreach (var paper in withVectors)
            {
                await papers.UpsertAsync(paper, cancellationToken).ConfigureAwait(false);
            }

            var entries = withVectors.Select(NoveltyCorpus.ToEntry).ToList();
            index.Upsert(entries);
            entries.ForEach(e => e.Stale = true);
            embedded += entries.Count;
        }

        // 2. Raw values that may have changed.
        var all = index.Snapshot();
        var queuedSet = queued.ToHashSet(StringComparer.Ordinal);
        var recompute = all.Where(e => e.Stale || e.Raw is null || queuedSet.Contains(e.Id)).ToList();
        NoveltyScorer.Recompute(index, recompute);

        // 3. Every percentile, in date order; write what changed.
        var changed = new List<string>();
        var ranked = index.PercentileAll();
        foreach (var entry in all)
        {
            var score = NoveltyScorer.ScoreOf(index, entry, scorer.Model, ranked.GetValueOrDefault(entry.Id));
            if (!await writer.WriteIfChangedAsync(entry.Id, ScoreKind.Novelty, score, corpus.Stored.GetValueOrDefault(entry.Id), cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            changed.Add(entry.Id);
        }

        await queue.RemoveAsync(queued, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "Novelty rescore: {Embedded} papers embedded, {Recomputed} neighbourhoods recomputed, {Changed} of {Total} scores changed",
            embedded, recompute.Count, changed.Count, all.Count);
        return (changed, all.ToDictionary(e => e.Id, e => e.Raw, StringComparer.Ordinal));
    }
}

using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// The process's novelty index, loaded from the Papers table on first use and then kept current by ingest.
/// Papers another instance stored after the load are seen at the next load (the nightly rescore reloads).
/// </summary>
public sealed class NoveltyCorpus(IPaperStore papers, EmbeddingStage embeddings, IOptions<NoveltyOptions> options, ILogger<NoveltyCorpus> logger)
{
    private readonly Reloadable<NoveltyIndex> index = new();

    /// <summary>Stored papers that had no current embedding at the last load (the rescore embeds them).</summary>
    public IReadOnlyList<string> Unembedded { get; private set; } = [];

    /// <summary>The stored novelty of each loaded paper, for the rescore to compare against.</summary>
    public IReadOnlyDictionary<string, Score> Stored { get; private set; } = new Dictionary<string, Score>();

    /// <summary>The index, loading it if needed.</summary>
    public Task<NoveltyIndex> GetIndexAsync(CancellationToken cancellationToken) => index.GetAsync(LoadAsync, cancellationToken);

    /// <summary>Drops the index and loads it again from storage.</summary>
    public Task<NoveltyIndex> ReloadAsync(CancellationToken cancellationToken) => index.ReloadAsync(LoadAsync, cancellationToken);

    /// <summary>The index entry of a paper with a current embedding.</summary>
    public static CorpusEntry ToEntry(Paper paper) => new()
    {
        Id = paper.Id,
        Title = paper.Title,
        Published = paper.Published,
        Category = paper.PrimaryCategory,
        Aliases = paper.Aliases.Append(paper.Id).ToHashSet(StringComparer.Ordinal),
        AuthorIds = paper.Authors.Select(a => a.Id).ToHashSet(StringComparer.Ordinal),
        Vector = paper.Embedding!.Vector,
    };

    private async Task<NoveltyIndex> LoadAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var index = new NoveltyIndex(options.Value);
        var entries = new List<CorpusEntry>();
        var unembedded = new List<string>();
        var stored = new Dictionary<string, Score>(StringComparer.Ordinal);
        await foreach (var paper in papers.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            stored[paper.Id] = paper.Scores.Novelty;
            if (!embeddings.IsCurrent(paper))
            {
                unembedded.Add(paper.Id);
                continue;
            }

            var entry = ToEntry(paper);
            RestoreRaw(entry, paper.Scores.Novelty);
            entries.Add(entry);
        }

        // Loading restores stored state; staleness comes from that state, not from the order of loading.
        index.Upsert(entries, detectStale: false);
        foreach (var entry in entries)
        {
            entry.Stale = !stored.TryGetValue(entry.Id, out var score) || score.Version != NoveltyScorer.Version || score.Model != embeddings.Model || score.Details is null;
        }

        Unembedded = unembedded;
        Stored = stored;
        logger.LogInformation("Novelty index loaded: {Count} papers ({Unembedded} without a current embedding) in {Elapsed}", entries.Count, unembedded.Count, started.Elapsed);
        return index;
    }

    private static void RestoreRaw(CorpusEntry entry, Score score)
    {
        if (score.Details is not { ValueKind: JsonValueKind.Object } details)
        {
            return;
        }

        var explanation = details.Deserialize<NoveltyExplanation>(ScholarFxJson.Options);
        if (explanation is null)
        {
            return;
        }

        entry.Neighbours = explanation.Neighbours;
        entry.Raw = explanation.Raw;
        entry.Spacing = explanation.NeighbourhoodDistance;
    }
}

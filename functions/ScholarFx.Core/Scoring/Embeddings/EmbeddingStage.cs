using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Scoring.Embeddings;

/// <summary>
/// Gives each paper of a batch its embedding, reusing a stored one while content hash and model are unchanged.
/// Ingest prefetches the next batch's embeddings while the previous batch is being written, through a small
/// in-memory cache keyed by content hash.
/// </summary>
public sealed class EmbeddingStage(ITextEmbedder embedder)
{
    private const int CacheLimit = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> prefetched = new(StringComparer.Ordinal);

    /// <summary>Embeds papers ahead of need (by content hash); <see cref="AttachAsync"/> then takes them from the cache.</summary>
    public async Task PrefetchAsync(IEnumerable<Paper> papers, CancellationToken cancellationToken)
    {
        var missing = papers.Where(p => !prefetched.ContainsKey(p.ContentHash)).DistinctBy(p => p.ContentHash).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (prefetched.Count + missing.Count > CacheLimit)
        {
            // Prefetch serves the next batch only; an old entry is simply embedded again if ever needed.
            prefetched.Clear();
        }

        var vectors = await embedder.EmbedAsync([.. missing.Select(TextOf)], cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < missing.Count; i++)
        {
            prefetched[missing[i].ContentHash] = vectors[i];
        }
    }

    /// <summary>The model embeddings are made with.</summary>
    public string Model => embedder.Model;

    /// <summary>The text embedded for a paper: title and abstract.</summary>
    public static string TextOf(Paper paper) => paper.Title + ". " + paper.Abstract;

    /// <summary>The papers, each with a current embedding.</summary>
    public async Task<IReadOnlyList<Paper>> AttachAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
    {
        var missing = papers.Where(p => !IsCurrent(p)).ToList();
        if (missing.Count == 0)
        {
            return papers;
        }

        var fresh = new Dictionary<string, PaperEmbedding>(StringComparer.Ordinal);
        foreach (var paper in missing)
        {
            if (prefetched.TryRemove(paper.ContentHash, out var vector))
            {
                fresh[paper.Id] = new PaperEmbedding(embedder.Model, paper.ContentHash, vector);
            }
        }

        var rest = missing.Where(p => !fresh.ContainsKey(p.Id)).ToList();
        if (rest.Count > 0)
        {
            var vectors = await embedder.EmbedAsync([.. rest.Select(TextOf)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < rest.Count; i++)
            {
                fresh[rest[i].Id] = new PaperEmbedding(embedder.Model, rest[i].ContentHash, vectors[i]);
            }
        }

        return [.. papers.Select(p => fresh.TryGetValue(p.Id, out var e) ? p with { Embedding = e } : p)];
    }

    /// <summary>Whether the paper's stored embedding matches its text and the current model.</summary>
    public bool IsCurrent(Paper paper) =>
        paper.Embedding is { } e && e.Model == embedder.Model && e.ContentHash == paper.ContentHash;
}

using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Scoring.Embeddings;

/// <summary>Gives each paper of a batch its embedding, reusing a stored one while content hash and model are unchanged.</summary>
public sealed class EmbeddingStage(ITextEmbedder embedder)
{
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

        var vectors = await embedder.EmbedAsync([.. missing.Select(TextOf)], cancellationToken).ConfigureAwait(false);
        var fresh = missing.Select((p, i) => (p.Id, Embedding: new PaperEmbedding(embedder.Model, p.ContentHash, vectors[i])))
            .ToDictionary(x => x.Id, x => x.Embedding, StringComparer.Ordinal);
        return [.. papers.Select(p => fresh.TryGetValue(p.Id, out var e) ? p with { Embedding = e } : p)];
    }

    /// <summary>Whether the paper's stored embedding matches its text and the current model.</summary>
    public bool IsCurrent(Paper paper) =>
        paper.Embedding is { } e && e.Model == embedder.Model && e.ContentHash == paper.ContentHash;
}

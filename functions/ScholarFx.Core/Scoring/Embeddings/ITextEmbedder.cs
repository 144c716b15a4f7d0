namespace ScholarFx.Core.Scoring.Embeddings;

/// <summary>Turns texts into L2-normalised vectors. One instance per process, safe for concurrent callers.</summary>
public interface ITextEmbedder
{
    /// <summary>Model name stored with every embedding; a different name means every paper is re-embedded.</summary>
    string Model { get; }

    /// <summary>Vectors for the texts, in order, each of unit length.</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.TestSupport;

/// <summary>
/// TEST ONLY — a fast, deterministic stand-in for MiniLM for scale tests and benchmarks: each word of the text
/// is hashed into one of 384 dimensions, and the sum is L2-normalised. Texts that share words are close, so
/// novelty still has neighbours to find, but the vectors mean nothing. Never registered by product code
/// (this file lives in the tests and is linked into the bench).
/// </summary>
public sealed class HashingTestEmbedder : ITextEmbedder
{
    private const int Dimensions = 384;

    /// <inheritdoc/>
    public string Model => "test-hashing";

    /// <inheritdoc/>
    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Task.FromResult(texts.Select(Embed).ToArray());

    private static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = Fnv1a(word);
            vector[hash % Dimensions] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm == 0)
        {
            // A text with no words still gets a unit vector.
            vector[0] = 1;
            return vector;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 16777619u;
        }

        return hash;
    }
}

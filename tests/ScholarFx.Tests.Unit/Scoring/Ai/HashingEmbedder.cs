using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.Tests.Unit.Scoring.Ai;

/// <summary>
/// A fast, deterministic TEST embedder (not a language model): the sum of a pseudo-random dense vector per lower-cased
/// word (seeded by the word), L2-normalised. Texts sharing words are similar and every word moves the vector a little,
/// which is all the assessor tests need.
/// </summary>
internal sealed class HashingEmbedder : ITextEmbedder
{
    public int Calls;

    public string Model => "test-hashing-256";

    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return Task.FromResult(texts.Select(Embed).ToArray());
    }

    public static float[] Embed(string text)
    {
        var vector = new float[256];
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', ';', ':', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            var random = new Random(StableHash(word));
            for (var d = 0; d < vector.Length; d++)
            {
                vector[d] += (float)(random.NextDouble() - 0.5);
            }
        }

        return VectorMath.Normalise(vector);
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}

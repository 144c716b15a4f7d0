using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.TestSupport;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// TEST ONLY — the hashing test embedder, made to fail on demand: while <see cref="Down"/> every call fails (a model
/// outage), a text containing <see cref="Poison"/> always fails (a text the model rejects), and
/// <see cref="CancelAfter"/> cancels a token after that many calls (a host killed part-way).
/// </summary>
public sealed class SwitchableTestEmbedder : ITextEmbedder
{
    private readonly HashingTestEmbedder inner = new();
    private int calls;

    public const string Poison = "UNEMBEDDABLE";

    public bool Down { get; set; }

    public (int Calls, CancellationTokenSource Source)? CancelAfter { get; set; }

    public string Model => inner.Model;

    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (CancelAfter is var (after, source) && Interlocked.Increment(ref calls) > after)
        {
            source.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (Down || texts.Any(t => t.Contains(Poison, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the embedding model is unavailable");
        }

        return inner.EmbedAsync(texts, cancellationToken);
    }
}

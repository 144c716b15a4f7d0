using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.Tests.Integration.Scoring;

/// <summary>The real embedded model: a run stopped part-way (the host shutting down) is cancellation, not a model failure.</summary>
public sealed class MiniLmEmbedderTests : IDisposable
{
    private readonly MiniLmEmbedder embedder = new();

    public void Dispose() => embedder.Dispose();

    [Fact]
    public async Task EmbeddingCancelledMidRun_ThrowsOperationCanceled_NotTheRuntimesTerminateError()
    {
        await embedder.EmbedAsync(["warm up the model"], CancellationToken.None);
        // Enough text that no stop below comes after the whole run: 400 took under 150 ms on a quiet machine.
        var texts = Enumerable.Range(0, 4_000).Select(i => string.Join(' ', Enumerable.Repeat($"paper {i} studies attention over long inputs", 40))).ToList();
        // Stopped at several moments, so some stops land inside a model run (where the runtime's terminate flag fires).
        foreach (var after in new[] { 5, 15, 30, 60, 100, 150 })
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(after));

            var error = await Record.ExceptionAsync(() => embedder.EmbedAsync(texts, stop.Token));

            Assert.True(error is OperationCanceledException, $"stopped after {after} ms: {error}");
        }
    }
}

using Microsoft.Extensions.Logging;
using ScholarFx.Core.Scoring;

namespace ScholarFx.Core.Storage;

/// <summary>The health report of <c>GET /api/health</c>.</summary>
public sealed record HealthReport(
    string Status,
    bool StorageReachable,
    string? StorageError,
    long? CorpusSize,
    HealthModels Models,
    RescoreState? LastRescore,
    RescoreState? CurrentRescore);

/// <summary>The scoring models in use (null: that score is not computed by this deployment).</summary>
public sealed record HealthModels(string? Novelty, string? AiScore, bool EmbeddingModelLoaded);

/// <summary>Checks the service's dependencies.</summary>
public interface IHealthService
{
    Task<HealthReport> CheckAsync(CancellationToken cancellationToken);
}

/// <inheritdoc cref="IHealthService"/>
public sealed class HealthService(ScholarFxStorage storage, StatsStore stats, ScoringPipeline scoring, Scoring.Embeddings.ITextEmbedder embedder, ILogger<HealthService> logger) : IHealthService
{
    /// <inheritdoc/>
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        // The embedding model loads lazily on the first ingest; health reports whether it has.
        var models = new HealthModels(scoring.ModelOf(ScoreKind.Novelty), scoring.ModelOf(ScoreKind.AiScore), embedder is not Scoring.Embeddings.MiniLmEmbedder mini || mini.IsLoaded);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await storage.EnsureCreatedAsync(timeout.Token).ConfigureAwait(false);
            var size = await stats.GetPaperCountAsync(timeout.Token).ConfigureAwait(false);
            var last = await stats.GetRescoreAsync("last", timeout.Token).ConfigureAwait(false);
            var current = await stats.GetRescoreAsync("current", timeout.Token).ConfigureAwait(false);
            return new HealthReport("healthy", true, null, size, models, last, current);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Health check could not reach storage");
            return new HealthReport("unhealthy", false, e.GetType().Name + ": " + e.Message, null, models, null, null);
        }
    }
}

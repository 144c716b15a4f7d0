using Microsoft.Extensions.Logging;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Health;

/// <summary>The health report of <c>GET /api/health</c>.</summary>
public sealed record HealthReport(
    string Status,
    bool StorageReachable,
    string? StorageError,
    long? CorpusSize,
    HealthModels Models,
    RescoreRun? LastRescore,
    HealthRescore? CurrentRescore,
    HealthSettling? Settling = null,
    IReadOnlyList<Harvest.HarvestStatus>? Harvest = null);

/// <summary>The running rescore: its phase, progress in the phase, and an estimate of the time the phase has left.</summary>
public sealed record HealthRescore(string Id, string Phase, int ShardsDone, int Shards, int PapersDone, int Papers, double? PhaseEtaSeconds, int Failures, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, string StatusUrl);

/// <summary>
/// The settling backlog: requests made and settled (generation counters), when the oldest unsettled request was
/// made, and the settle queue's length and the age of its oldest message.
/// </summary>
public sealed record HealthSettling(long Requested, long Settled, DateTimeOffset? OldestUnsettledRequest, int QueueLength, double? OldestMessageAgeSeconds);

/// <summary>The scoring models in use (null: that score is not computed by this deployment).</summary>
public sealed record HealthModels(string? Novelty, string? AiScore, bool EmbeddingModelLoaded);

/// <summary>Checks the service's dependencies.</summary>
public interface IHealthService
{
    Task<HealthReport> CheckAsync(CancellationToken cancellationToken);
}

/// <inheritdoc cref="IHealthService"/>
public sealed class HealthService(ScholarFxStorage storage, StatsStore stats, RescoreRunStore runs, SettleRequests settling, Harvest.IHarvestService harvest, ScoringPipeline scoring, Scoring.Embeddings.ITextEmbedder embedder, TimeProvider clock, ILogger<HealthService> logger) : IHealthService
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
            var last = await runs.LastAsync(timeout.Token).ConfigureAwait(false);
            var active = await runs.ActiveAsync(timeout.Token).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            var current = active is null ? null : new HealthRescore(
                active.Id, active.Phase.ToString(), active.ShardsDone.Count(c => c == '1'), active.Shards, active.PhaseDone, active.PhaseTotal,
                active.PhaseEta(now)?.TotalSeconds is { } eta ? Math.Round(eta) : null, active.FailureCount, active.StartedAt, active.UpdatedAt,
                "/api/admin/rescore/" + active.Id);
            var settlingState = await SettlingAsync(timeout.Token).ConfigureAwait(false);
            var harvests = await harvest.StatusAsync(timeout.Token).ConfigureAwait(false);
            return new HealthReport("healthy", true, null, size, models, last, current, settlingState, harvests);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Health check could not reach storage");
            return new HealthReport("unhealthy", false, Describe(e), null, models, null, null);
        }
    }

    /// <summary>
    /// What went wrong in words safe for an anonymous caller: the status and error code storage answered, or that it
    /// did not answer. Exception messages name the account, the endpoint and the identity tried, so they go to the
    /// log only.
    /// </summary>
    internal static string Describe(Exception e) => e switch
    {
        Azure.RequestFailedException { Status: > 0 } failed =>
            $"storage refused the request ({failed.Status}{(ErrorCode(failed) is { } code ? " " + code : "")}); see the function's logs",
        OperationCanceledException => "storage did not answer within 10 s; see the function's logs",
        Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException => "no credential for storage could be obtained; see the function's logs",
        _ => "storage could not be reached; see the function's logs",
    };

    /// <summary>Storage's error code (<c>AuthorizationPermissionMismatch</c>, …) when it is one word; HEAD answers carry it only as a header.</summary>
    private static string? ErrorCode(Azure.RequestFailedException failed)
    {
        var code = failed.ErrorCode;
        if (string.IsNullOrEmpty(code) && failed.GetRawResponse() is { } response && response.Headers.TryGetValue("x-ms-error-code", out var header))
        {
            code = header;
        }

        return code is { Length: > 0 and <= 64 } && code.All(char.IsAsciiLetterOrDigit) ? code : null;
    }

    private async Task<HealthSettling> SettlingAsync(CancellationToken cancellationToken)
    {
        var requests = await settling.GetAsync(cancellationToken).ConfigureAwait(false);
        var properties = (await storage.SettleQueue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value;
        var oldest = (await storage.SettleQueue.PeekMessagesAsync(1, cancellationToken).ConfigureAwait(false)).Value.FirstOrDefault();
        return new HealthSettling(
            requests.Generation,
            requests.Settled,
            requests.Generation > requests.Settled ? requests.FirstRequest : null,
            properties.ApproximateMessagesCount,
            oldest?.InsertedOn is { } inserted ? Math.Round((clock.GetUtcNow() - inserted).TotalSeconds, 1) : null);
    }
}

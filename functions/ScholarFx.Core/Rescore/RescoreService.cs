using Microsoft.Extensions.Logging;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Rescore;

/// <summary>Outcome of a rescore run.</summary>
public sealed record RescoreResult(int ProfilesVisited, int ProfilesChanged, TimeSpan Elapsed);

/// <summary>The nightly (or on-demand) rescore.</summary>
public interface IRescoreService
{
    Task<RescoreResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Recomputes the novelty scores that need it (backfills, new model, papers that lacked neighbours) and the AI
/// scores (assessments missing or of another model or prompt version, cohort ranks moved by backfills), then
/// rebuilds every profile from storage (which also repairs aggregates after an interrupted ingest); a profile
/// whose content did not change is not rewritten.
/// </summary>
public sealed class RescoreService(IAuthorStore authors, ProfileBuilder profiles, Scoring.Novelty.NoveltyRescorer novelty, Scoring.Ai.AiRescorer ai, StatsStore stats, TimeProvider clock, ILogger<RescoreService> logger) : IRescoreService
{
    private const int Parallelism = 4;

    /// <inheritdoc/>
    public async Task<RescoreResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        await stats.SetRescoreAsync("current", new RescoreState("running", started, null, 0, null), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rescore started");
        var visited = 0;
        var changed = 0;
        try
        {
            var (_, noveltyRaw) = await novelty.RunAsync(cancellationToken).ConfigureAwait(false);
            await ai.RunAsync(noveltyRaw, cancellationToken).ConfigureAwait(false);
            await Parallel.ForEachAsync(authors.ListAuthorIdsAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (authorId, ct) =>
            {
                if (await profiles.RebuildAsync(authorId, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref changed);
                }

                if (Interlocked.Increment(ref visited) % 1000 == 0)
                {
                    logger.LogInformation("Rescore: {Visited} profiles visited, {Changed} changed", visited, changed);
                }
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stats.SetRescoreAsync("last", new RescoreState("failed", started, clock.GetUtcNow(), visited, e.Message), CancellationToken.None).ConfigureAwait(false);
            await stats.SetRescoreAsync("current", null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var elapsed = clock.GetUtcNow() - started;
        await stats.SetRescoreAsync("last", new RescoreState("succeeded", started, clock.GetUtcNow(), visited, null), cancellationToken).ConfigureAwait(false);
        await stats.SetRescoreAsync("current", null, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rescore finished: {Visited} profiles visited, {Changed} changed in {Elapsed}", visited, changed, elapsed);
        return new RescoreResult(visited, changed, elapsed);
    }
}

using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Rescore;

/// <summary>Outcome of a rescore run.</summary>
public sealed record RescoreResult(int Embedded, int Assessed, int PapersChanged, int ProfilesRebuilt, TimeSpan Elapsed);

/// <summary>The nightly (or on-demand) rescore.</summary>
public interface IRescoreService
{
    Task<RescoreResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The safety net behind settling: embeds papers stored without a current embedding (a failed model, a new model),
/// assesses papers without a current assessment (a failed or budget-limited call, a new prompt version) — Azure
/// OpenAI answers come from their cache when the text was assessed before — then settles every neighbourhood and
/// percentile from scratch, writing only the scores that changed and rebuilding only their authors.
/// </summary>
public sealed class RescoreService(
    CorpusView view,
    IPaperStore papers,
    EmbeddingStage embeddings,
    AiScorer ai,
    SettleService settle,
    StatsStore stats,
    TimeProvider clock,
    ILogger<RescoreService> logger) : IRescoreService
{
    private const int Chunk = 64;
    private static readonly TimeSpan LeaseWait = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public async Task<RescoreResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        await stats.SetRescoreAsync("current", new RescoreState("running", started, null, 0, null), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rescore started");
        try
        {
            var (unembedded, unassessed) = await view.UseAsync(
                s => (s.Members.Where(m => !m.Value.Embedded).Select(m => m.Key).ToList(), s.Members.Where(m => m.Value.Rubric is null).Select(m => m.Key).ToList()),
                cancellationToken).ConfigureAwait(false);
            var embedded = await EmbedAsync(unembedded, cancellationToken).ConfigureAwait(false);
            var assessed = await AssessAsync(unassessed, cancellationToken).ConfigureAwait(false);

            var deadline = clock.GetUtcNow() + LeaseWait;
            SettleResult settled;
            while (!(settled = await settle.SettleAsync(everything: true, cancellationToken).ConfigureAwait(false)).Ran && clock.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), clock, cancellationToken).ConfigureAwait(false);
            }

            if (!settled.Ran)
            {
                throw new InvalidOperationException($"Another settling held the lease for {LeaseWait}; the rescore gives up until its next run.");
            }

            var result = new RescoreResult(embedded, assessed, settled.PapersWritten, settled.ProfilesRebuilt, clock.GetUtcNow() - started);
            await stats.SetRescoreAsync("last", new RescoreState("succeeded", started, clock.GetUtcNow(), result.ProfilesRebuilt, null), cancellationToken).ConfigureAwait(false);
            await stats.SetRescoreAsync("current", null, cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Rescore finished: {Embedded} papers embedded, {Assessed} assessed, {Changed} papers' scores changed, {Profiles} profiles rebuilt in {Elapsed}",
                result.Embedded, result.Assessed, result.PapersChanged, result.ProfilesRebuilt, result.Elapsed);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stats.SetRescoreAsync("last", new RescoreState("failed", started, clock.GetUtcNow(), 0, e.Message), CancellationToken.None).ConfigureAwait(false);
            await stats.SetRescoreAsync("current", null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<int> EmbedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var loaded = await papers.GetPapersAsync(chunk, cancellationToken).ConfigureAwait(false);
            var withVectors = await embeddings.AttachAsync(loaded, cancellationToken).ConfigureAwait(false);
            var written = new List<Paper>();
            foreach (var paper in withVectors.Where(embeddings.IsCurrent))
            {
                await papers.UpsertAsync(paper, cancellationToken).ConfigureAwait(false);
                written.Add(paper);
            }

            await view.PublishAsync(written, cancellationToken).ConfigureAwait(false);
            done += written.Count;
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Rescore: {Embedded} of {Count} papers without a current embedding embedded with {Model}", done, ids.Count, embeddings.Model);
        }

        return done;
    }

    private async Task<int> AssessAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var run = new ScoringRun();
        var done = 0;
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var loaded = await papers.GetPapersAsync(chunk, cancellationToken).ConfigureAwait(false);
            var outcomes = await ai.AssessAsync(loaded, run, cancellationToken).ConfigureAwait(false);
            var written = new List<Paper>();
            foreach (var paper in loaded)
            {
                if (outcomes.GetValueOrDefault(paper.Id) is { Assessment: not null } outcome)
                {
                    // Ranked when settling, just after.
                    var assessed = paper with { Scores = paper.Scores with { AiScore = ai.ScoreOf(outcome, 1, (null, null), provisional: true) } };
                    await papers.UpsertAsync(assessed, cancellationToken).ConfigureAwait(false);
                    written.Add(assessed);
                }
            }

            await view.PublishAsync(written, cancellationToken).ConfigureAwait(false);
            done += written.Count;
            logger.LogInformation("Rescore: {Done} of {Pending} papers assessed ({Calls} calls so far)", done, ids.Count, run.Calls);
        }

        return done;
    }
}

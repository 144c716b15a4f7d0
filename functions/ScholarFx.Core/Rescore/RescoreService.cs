using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Rescore;

/// <summary>The nightly (or on-demand) rescore.</summary>
public interface IRescoreService
{
    /// <summary>Starts a run that fans out over the <c>rescore</c> queue (or returns the one already running, resuming it when its host died).</summary>
    Task<RescoreRun> StartAsync(string trigger, bool recomputeAll, CancellationToken cancellationToken);

    /// <summary>Runs a whole rescore in this process, shard after shard (the LocalHost's samples, tests); returns the finished run.</summary>
    Task<RescoreRun> RunAsync(bool recomputeAll, CancellationToken cancellationToken);

    /// <summary>Does one shard of a run (the <c>RescoreShard</c> function).</summary>
    Task RunShardAsync(RescoreShardMessage message, CancellationToken cancellationToken);

    /// <summary>A run by id, or null.</summary>
    Task<RescoreRun?> GetAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>
/// The safety net behind settling, at scale (docs/architecture.md, Rescore): a run goes through phases — embed the papers
/// without a current embedding, assess the papers without a current assessment, then settle the corpus — and the first
/// two fan out over the <c>rescore</c> queue in shards of <see cref="RescoreOptions.ShardSize"/> papers (by a hash of the
/// paper id), so every instance shares the work. One run at a time (a conditional <c>active</c> row). Each shard writes its
/// papers as it goes, so a shard that dies is simply done again and only does what is left; the run records which
/// shards are done, so a resumed run sends only the rest. A paper that fails is recorded, skipped, and tried by the
/// next run; it never stops the run. Running every shard in one process gives exactly the same result.
/// </summary>
public sealed class RescoreService(
    CorpusView view,
    IPaperStore papers,
    EmbeddingStage embeddings,
    Scoring.Ai.AiScorer ai,
    SettleService settle,
    Profiles.ProfileRefresh refresh,
    RescoreRunStore runs,
    ScholarFxStorage storage,
    IOptions<RescoreOptions> options,
    TimeProvider clock,
    ILogger<RescoreService> logger) : IRescoreService
{
    private const int Chunk = 64;
    private const int ListedFailures = 100;
    private static readonly TimeSpan SettleRetry = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public async Task<RescoreRun> StartAsync(string trigger, bool recomputeAll, CancellationToken cancellationToken)
    {
        var (run, created) = await BeginAsync(trigger, recomputeAll, cancellationToken).ConfigureAwait(false);
        if (created || IsAbandoned(run))
        {
            if (!created)
            {
                logger.LogWarning("Rescore run {Run} made no progress for {Seconds} s; resuming its {Phase} phase", run.Id, options.Value.AbandonedAfterSeconds, run.Phase);
            }

            await SendAsync(run, cancellationToken).ConfigureAwait(false);
        }

        return run;
    }

    /// <inheritdoc/>
    public async Task<RescoreRun> RunAsync(bool recomputeAll, CancellationToken cancellationToken)
    {
        var (run, _) = await BeginAsync("inline", recomputeAll, cancellationToken).ConfigureAwait(false);
        while (!run.IsFinished)
        {
            foreach (var shard in run.PendingShards.ToList())
            {
                await DoShardAsync(run.Id, run.Phase, shard, inline: true, cancellationToken).ConfigureAwait(false);
            }

            run = await runs.GetAsync(run.Id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"Rescore run {run.Id} disappeared.");
        }

        return run;
    }

    /// <inheritdoc/>
    public async Task RunShardAsync(RescoreShardMessage message, CancellationToken cancellationToken)
    {
        using var activity = ScholarFxTelemetry.Source.StartActivity("rescore shard");
        activity?.SetTag("scholarfx.rescore.run", message.RunId);
        activity?.SetTag("scholarfx.rescore.phase", message.Phase.ToString());
        activity?.SetTag("scholarfx.rescore.shard", message.Shard);
        try
        {
            await DoShardAsync(message.RunId, message.Phase, message.Shard, inline: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ScholarFxTelemetry.Failed(activity, e);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<RescoreRun?> GetAsync(string runId, CancellationToken cancellationToken) => runs.GetAsync(runId, cancellationToken);

    private async Task<(RescoreRun Run, bool Created)> BeginAsync(string trigger, bool recomputeAll, CancellationToken cancellationToken)
    {
        if (await runs.ActiveAsync(cancellationToken).ConfigureAwait(false) is { } active)
        {
            return (active, false);
        }

        var now = clock.GetUtcNow();
        var candidate = new RescoreRun
        {
            Id = now.ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6],
            Trigger = trigger,
            RecomputeAll = recomputeAll,
            Phase = RescorePhase.Embed,
            ShardsDone = "",
            StartedAt = now,
        };
        candidate = candidate.Enter(RescorePhase.Embed, await PhaseTotalAsync(RescorePhase.Embed, cancellationToken).ConfigureAwait(false), options.Value.ShardSize, now);
        var (run, created) = await runs.StartAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            logger.LogInformation("Rescore run {Run} started ({Trigger}): {Shards} shards to embed {Papers} papers", run.Id, trigger, run.Shards, run.PhaseTotal);
        }

        return (run, created);
    }

    private bool IsAbandoned(RescoreRun run) =>
        !run.IsFinished && clock.GetUtcNow() - run.UpdatedAt > TimeSpan.FromSeconds(options.Value.AbandonedAfterSeconds);

    private async Task SendAsync(RescoreRun run, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var shard in run.PendingShards)
        {
            await SendAsync(new RescoreShardMessage(run.Id, run.Phase, shard), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task SendAsync(RescoreShardMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        storage.RescoreQueue.SendMessageAsync(JsonSerializer.Serialize(message, ScholarFxJson.Options), visibilityTimeout: delay, cancellationToken: cancellationToken);

    /// <summary>How many papers <paramref name="phase"/> has to handle (the settle phase counts none).</summary>
    private async Task<int> PhaseTotalAsync(RescorePhase phase, CancellationToken cancellationToken) =>
        phase is RescorePhase.Embed or RescorePhase.Assess ? (await PendingAsync(phase, shard: null, shards: 1, cancellationToken).ConfigureAwait(false)).Count : 0;

    /// <summary>The papers of a phase (and shard) still to do, from the corpus view.</summary>
    private Task<List<string>> PendingAsync(RescorePhase phase, int? shard, int shards, CancellationToken cancellationToken) =>
        view.UseAsync(
            s => s.Members
                .Where(m => phase == RescorePhase.Embed ? !m.Value.Embedded : m.Value.Rubric is null)
                .Select(m => m.Key)
                .Where(id => shard is null || ShardOf(id, shards) == shard)
                .Order(StringComparer.Ordinal)
                .ToList(),
            cancellationToken);

    /// <summary>A stable shard of a paper id.</summary>
    internal static int ShardOf(string id, int shards) => (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0) % (uint)shards);

    private async Task DoShardAsync(string runId, RescorePhase phase, int shard, bool inline, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || run.Phase != phase || run.IsFinished || shard >= run.ShardsDone.Length || run.ShardsDone[shard] == '1')
        {
            // A duplicate or late message: that shard is done, or the run moved on.
            return;
        }

        try
        {
            switch (phase)
            {
                case RescorePhase.Embed:
                case RescorePhase.Assess:
                    await ItemsAsync(run, phase, shard, cancellationToken).ConfigureAwait(false);
                    break;
                case RescorePhase.Settle:
                    if (!await SettleAsync(run, inline, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Rescore run {Run}: shard {Shard} of {Phase} failed; the queue retries it", runId, shard, phase);
            throw;
        }

        await CompleteShardAsync(runId, phase, shard, inline, cancellationToken).ConfigureAwait(false);
    }

    private async Task ItemsAsync(RescoreRun run, RescorePhase phase, int shard, CancellationToken cancellationToken)
    {
        var ids = await PendingAsync(phase, shard, run.Shards, cancellationToken).ConfigureAwait(false);
        var scoring = new ScoringRun();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var failures = new List<RescoreFailure>();
            var done = 0;
            foreach (var paper in await papers.GetPapersAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (await RepairAsync(phase, paper, scoring, cancellationToken).ConfigureAwait(false) is { } failure)
                    {
                        failures.Add(new RescoreFailure(paper.Id, phase.ToString(), failure));
                    }
                    else
                    {
                        done++;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Rescore run {Run}: {Phase} failed for paper {PaperId}; skipped until the next run", run.Id, phase, paper.Id);
                    failures.Add(new RescoreFailure(paper.Id, phase.ToString(), Reason(e)));
                }
            }

            ScholarFxTelemetry.RescoreItems.Add(done, new("phase", phase.ToString()), new("outcome", "done"));
            ScholarFxTelemetry.RescoreItems.Add(failures.Count, new("phase", phase.ToString()), new("outcome", "failed"));
            await runs.UpdateAsync(run.Id, r => (r with
            {
                PhaseDone = r.PhaseDone + chunk.Length,
                Embedded = r.Embedded + (phase == RescorePhase.Embed ? done : 0),
                Assessed = r.Assessed + (phase == RescorePhase.Assess ? done : 0),
                FailureCount = r.FailureCount + failures.Count,
                Failures = [.. r.Failures.Concat(failures).Take(ListedFailures)],
                UpdatedAt = clock.GetUtcNow(),
            }, true), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Embeds or assesses one paper and publishes it; returns why it could not be done, or null.</summary>
    private async Task<string?> RepairAsync(RescorePhase phase, Paper paper, ScoringRun scoring, CancellationToken cancellationToken)
    {
        Paper repaired;
        if (phase == RescorePhase.Embed)
        {
            repaired = (await embeddings.AttachAsync([paper], cancellationToken).ConfigureAwait(false))[0];
            if (!embeddings.IsCurrent(repaired))
            {
                return "the embedding model returned no vector";
            }
        }
        else
        {
            var outcome = (await ai.AssessAsync([paper], scoring, cancellationToken).ConfigureAwait(false))[paper.Id];
            if (outcome.Assessment is null)
            {
                return outcome.Reason ?? "no assessment";
            }

            // Ranked when the run settles, just after.
            repaired = paper with { Scores = paper.Scores with { AiScore = ai.ScoreOf(outcome, 1, (null, null), provisional: true) } };
        }

        if (!await papers.TryReplaceAsync(repaired, cancellationToken).ConfigureAwait(false))
        {
            // Written meanwhile (an ingest merged a source): this run leaves it to the writer, the next run checks it again.
            return "the paper changed while it was repaired; it is checked again in the next run";
        }

        await view.PublishAsync([repaired], cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Settles under the lease; false when another settling holds it (the message comes back later).</summary>
    private async Task<bool> SettleAsync(RescoreRun run, bool inline, CancellationToken cancellationToken)
    {
        SettleResult result;
        while (!(result = await settle.SettleAsync(run.RecomputeAll, cancellationToken).ConfigureAwait(false)).Ran)
        {
            if (!inline)
            {
                await SendAsync(new RescoreShardMessage(run.Id, RescorePhase.Settle, 0), SettleRetry, cancellationToken).ConfigureAwait(false);
                return false;
            }

            await Task.Delay(SettleRetry / 5, clock, cancellationToken).ConfigureAwait(false);
        }

        // What no paper change touches: citation percentiles that moved with their cohorts, `recent` after the year turned.
        var refreshed = await refresh.RefreshAllAsync(cancellationToken).ConfigureAwait(false);
        await runs.UpdateAsync(run.Id, r => (r with
        {
            PapersChanged = r.PapersChanged + result.PapersWritten,
            ProfilesRebuilt = r.ProfilesRebuilt + result.ProfilesRebuilt + refreshed,
            FailureCount = r.FailureCount + result.Failures.Count,
            Failures = [.. r.Failures.Concat(result.Failures.Select(f => new RescoreFailure(f.PaperId, nameof(RescorePhase.Settle), f.Reason))).Take(ListedFailures)],
            UpdatedAt = clock.GetUtcNow(),
        }, true), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task CompleteShardAsync(string runId, RescorePhase phase, int shard, bool inline, CancellationToken cancellationToken)
    {
        var next = RescoreRun.After(phase);
        RescoreRun run;
        bool advanced;
        while (true)
        {
            // Only the completion of the last pending shard sizes the next phase (a pass over the corpus view); the update
            // itself stays a quick compare-and-swap. If two last shards race, the one that needs the size comes back for it.
            var current = await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
            var last = current is not null && current.Phase == phase && current.PendingShards.SequenceEqual([shard]);
            int? total = last ? await PhaseTotalAsync(next, cancellationToken).ConfigureAwait(false) : null;
            bool? outcome;
            (run, outcome) = await runs.UpdateAsync(runId, r =>
            {
                if (r.Phase != phase || r.ShardsDone[shard] == '1')
                {
                    return (r, (bool?)false);
                }

                var done = r.ShardsDone[..shard] + '1' + r.ShardsDone[(shard + 1)..];
                var now = clock.GetUtcNow();
                return !done.All(c => c == '1') ? (r with { ShardsDone = done, UpdatedAt = now }, false)
                    : total is { } size ? (r.Enter(next, size, options.Value.ShardSize, now), true)
                    : (r, null);
            }, cancellationToken).ConfigureAwait(false);
            if (outcome is { } moved)
            {
                advanced = moved;
                break;
            }
        }

        if (!advanced)
        {
            return;
        }

        logger.LogInformation("Rescore run {Run}: {Phase} done; {Next} ({Papers} papers in {Shards} shards)", runId, phase, run.Phase, run.PhaseTotal, run.Shards);
        if (run.IsFinished)
        {
            logger.LogInformation(
                "Rescore run {Run} finished: {Embedded} papers embedded, {Assessed} assessed, {Changed} papers' scores changed, {Profiles} profiles rebuilt, {Failures} failures in {Elapsed}",
                run.Id, run.Embedded, run.Assessed, run.PapersChanged, run.ProfilesRebuilt, run.FailureCount, run.CompletedAt - run.StartedAt);
        }
        else if (!inline)
        {
            await SendAsync(run, cancellationToken).ConfigureAwait(false);
        }
    }

    // The run record is read by operators (admin key): the exception's type and first line, cut short.
    private static string Reason(Exception e)
    {
        var text = e.GetType().Name + (e is Azure.RequestFailedException r ? $" ({r.Status})" : "") + ": " + e.Message.Split('\n')[0];
        return text.Length <= 200 ? text : text[..200];
    }
}

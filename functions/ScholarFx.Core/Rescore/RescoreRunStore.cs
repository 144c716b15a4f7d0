using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Rescore;

/// <summary>
/// Rescore runs in the <c>Stats</c> table: a row per run (its JSON), an <c>active</c> row naming the running one — added
/// conditionally, so two starts (two hosts, the timer and an admin call) make one run — and a <c>last</c> row naming the
/// last finished one. Every change is a conditional write on the row's ETag, retried on a lost race.
/// </summary>
public sealed class RescoreRunStore(ScholarFxStorage storage)
{
    private const string Partition = "rescore";
    private const string ActiveRow = "active";
    private const string LastRow = "last";

    /// <summary>
    /// Makes <paramref name="candidate"/> the active run unless another unfinished one is; returns the active run and
    /// whether it is the candidate.
    /// </summary>
    public async Task<(RescoreRun Run, bool Created)> StartAsync(RescoreRun candidate, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var active = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, ActiveRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var current = active.HasValue ? await GetAsync(active.Value!.GetString("RunId"), cancellationToken).ConfigureAwait(false) : null;
            if (current is { IsFinished: false })
            {
                return (current, false);
            }

            await WriteRunAsync(candidate, default, cancellationToken).ConfigureAwait(false);
            var row = new TableEntity(Partition, ActiveRow) { ["RunId"] = candidate.Id };
            try
            {
                if (active.HasValue)
                {
                    await storage.Stats.UpdateEntityAsync(row, active.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await storage.Stats.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }

                return (candidate, true);
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                // Another start won; look again.
                await storage.Stats.DeleteEntityAsync(Partition, RunRow(candidate.Id), ETag.All, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A run by id, or null.</summary>
    public async Task<RescoreRun?> GetAsync(string runId, CancellationToken cancellationToken) =>
        (await ReadAsync(runId, cancellationToken).ConfigureAwait(false))?.Run;

    /// <summary>The active (unfinished) run, or null.</summary>
    public Task<RescoreRun?> ActiveAsync(CancellationToken cancellationToken) => PointedAsync(ActiveRow, unfinished: true, cancellationToken);

    /// <summary>The last finished run, or null.</summary>
    public Task<RescoreRun?> LastAsync(CancellationToken cancellationToken) => PointedAsync(LastRow, unfinished: false, cancellationToken);

    /// <summary>Changes a run (retried on a lost race); returns the run as written and what the change returned.</summary>
    public async Task<(RescoreRun Run, T Result)> UpdateAsync<T>(string runId, Func<RescoreRun, (RescoreRun Run, T Result)> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (run, etag) = await ReadAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"Rescore run {runId} is not stored.");
            var (next, result) = change(run);
            try
            {
                await WriteRunAsync(next, etag, cancellationToken).ConfigureAwait(false);
                if (next.IsFinished && !run.IsFinished)
                {
                    await storage.Stats.UpsertEntityAsync(new TableEntity(Partition, LastRow) { ["RunId"] = next.Id }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return (next, result);
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                await Task.Delay(Random.Shared.Next(1, 25), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<RescoreRun?> PointedAsync(string row, bool unfinished, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var pointer = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        var run = pointer.HasValue ? await GetAsync(pointer.Value!.GetString("RunId"), cancellationToken).ConfigureAwait(false) : null;
        return run is null || (unfinished && run.IsFinished) ? null : run;
    }

    private async Task<(RescoreRun Run, ETag ETag)?> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, RunRow(runId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && JsonSerializer.Deserialize<RescoreRun>(row.Value!.GetString("Run"), ScholarFxJson.Options) is { } run ? (run, row.Value.ETag) : null;
    }

    private async Task WriteRunAsync(RescoreRun run, ETag etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, RunRow(run.Id)) { ["Run"] = JsonSerializer.Serialize(run, ScholarFxJson.Options) };
        if (etag == default)
        {
            await storage.Stats.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await storage.Stats.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RunRow(string runId) => "run-" + runId;
}

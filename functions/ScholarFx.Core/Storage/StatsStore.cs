using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>State of the last and current rescore.</summary>
public sealed record RescoreState(string Status, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, int ProfilesRebuilt, string? Error);

/// <summary>
/// Small service-wide facts: corpus size (counted when a paper is created, guarded by an ETag so concurrent
/// writers cannot lose an increment) and the state of rescores.
/// </summary>
public sealed class StatsStore(ScholarFxStorage storage)
{
    private const string Partition = "stats";

    /// <summary>Papers stored (not counting merges).</summary>
    public async Task<long> GetPaperCountAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, "corpus", cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetInt64("PaperCount") ?? 0 : 0;
    }

    /// <summary>Adds to the paper count.</summary>
    public async Task AddPapersAsync(int created, CancellationToken cancellationToken)
    {
        if (created == 0)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, "corpus", cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (row.HasValue)
                {
                    var entity = row.Value!;
                    entity["PaperCount"] = (entity.GetInt64("PaperCount") ?? 0) + created;
                    await storage.Stats.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await storage.Stats.AddEntityAsync(new TableEntity(Partition, "corpus") { ["PaperCount"] = (long)created }, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                await Task.Delay(Random.Shared.Next(1, 20), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The state of rescores: "last" (finished) or "current" (running).</summary>
    public async Task<RescoreState?> GetRescoreAsync(string which, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, "rescore-" + which, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        return new RescoreState(e.GetString("Status") ?? "", e.GetDateTimeOffset("StartedAt"), e.GetDateTimeOffset("CompletedAt"), e.GetInt32("ProfilesRebuilt") ?? 0, e.GetString("Error"));
    }

    /// <summary>Records a rescore's state.</summary>
    public async Task SetRescoreAsync(string which, RescoreState? state, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            await storage.Stats.DeleteEntityAsync(Partition, "rescore-" + which, ETag.All, cancellationToken).ConfigureAwait(false);
            return;
        }

        await storage.Stats.UpsertEntityAsync(new TableEntity(Partition, "rescore-" + which)
        {
            ["Status"] = state.Status,
            ["StartedAt"] = state.StartedAt,
            ["CompletedAt"] = state.CompletedAt,
            ["ProfilesRebuilt"] = state.ProfilesRebuilt,
            ["Error"] = state.Error,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}

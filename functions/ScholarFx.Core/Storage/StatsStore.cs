using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Small service-wide facts: the corpus size, counted when a paper is created, guarded by an ETag so concurrent
/// writers cannot lose an increment. (Rescore runs and settle requests keep their own rows in the same table.)
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

    // Set on the corpus row when the row is first written, i.e. before this account held any paper: every author
    // aggregate it will hold is under its own row key (AuthorStore.AggregateRowKey), none under the key used before.
    private const string UniqueAggregateKeys = "UniqueAggregateKeys";

    /// <summary>
    /// Whether this account's corpus was started by code that keeps every author aggregate under its own row key, so a
    /// writer that misses it need not look under the older shared key (false for an account from before: it may hold such rows).
    /// </summary>
    public async Task<bool> HasUniqueAggregateKeysAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, "corpus", cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetBoolean(UniqueAggregateKeys) == true;
    }

    /// <summary>Adds to the paper count; returns <see cref="HasUniqueAggregateKeysAsync"/> as the row says.</summary>
    public async Task<bool> AddPapersAsync(int created, CancellationToken cancellationToken)
    {
        if (created == 0)
        {
            return await HasUniqueAggregateKeysAsync(cancellationToken).ConfigureAwait(false);
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
                    return entity.GetBoolean(UniqueAggregateKeys) == true;
                }

                await storage.Stats.AddEntityAsync(new TableEntity(Partition, "corpus") { ["PaperCount"] = (long)created, [UniqueAggregateKeys] = true }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                await Task.Delay(Random.Shared.Next(1, 20), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

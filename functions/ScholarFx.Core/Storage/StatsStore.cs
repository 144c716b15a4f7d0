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
}

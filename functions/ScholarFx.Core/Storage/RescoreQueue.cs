using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>Papers waiting for the nightly rescore (their earlier neighbourhood changed by a backfill).</summary>
public sealed class RescoreQueue(ScholarFxStorage storage)
{
    private const string Partition = "novelty";

    /// <summary>Queues papers (idempotent).</summary>
    public async Task AddAsync(IEnumerable<string> paperIds, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in paperIds.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            await storage.RescoreQueue.SubmitTransactionAsync(
                chunk.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, TableKey.Escape(id)) { ["PaperId"] = id })),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every queued paper id.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in storage.RescoreQueue.QueryAsync<TableEntity>(filter, 1000, ["PaperId"], cancellationToken).ConfigureAwait(false))
        {
            ids.Add(row.GetString("PaperId"));
        }

        return ids;
    }

    /// <summary>Removes papers from the queue once rescored.</summary>
    public async Task RemoveAsync(IEnumerable<string> paperIds, CancellationToken cancellationToken)
    {
        foreach (var id in paperIds)
        {
            await storage.RescoreQueue.DeleteEntityAsync(Partition, TableKey.Escape(id), ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }
}

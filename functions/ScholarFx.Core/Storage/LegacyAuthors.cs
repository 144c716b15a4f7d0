using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Authors in the layout before buckets (<see cref="StorageNames.LegacyAuthorsTable"/>: a partition per author, the
/// aggregate row <c>a_{id}</c> or, older still, <c>aggregate</c>, and paper rows <c>p_…</c>/<c>r_…</c>). Nothing writes
/// it any more: an author found only here is moved to its bucket by the next commit (<see cref="AuthorStore"/>), and
/// the first settling after an upgrade moves the rest and deletes the table. An account that never had the table, or
/// once it is gone, costs nothing: the table's absence is remembered for the life of the process.
/// </summary>
internal sealed class LegacyAuthors(ScholarFxStorage storage)
{
    /// <summary>The aggregate row's key before it was made unique per author.</summary>
    public const string SharedAggregateRowKey = "aggregate";

    /// <summary>Aggregate rows only, of every partition.</summary>
    public const string AggregateRows = "(RowKey ge 'a_' and RowKey lt 'a`') or RowKey eq '" + SharedAggregateRowKey + "'";

    // While the table is there, whether it still is is asked again at most this often (another instance may have moved it).
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    private volatile bool gone;
    private long checkedAt = -1;

    /// <summary>Whether the account may still hold authors in the older layout.</summary>
    public async Task<bool> PresentAsync(CancellationToken cancellationToken, bool fresh = false)
    {
        if (gone)
        {
            return false;
        }

        var now = Environment.TickCount64;
        if (!fresh && Interlocked.Read(ref checkedAt) is >= 0 and var last && now - last < (long)Recheck.TotalMilliseconds)
        {
            return true;
        }

        await foreach (var table in storage.TableService.QueryAsync(t => t.Name == StorageNames.LegacyAuthorsTable, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (table.Name == StorageNames.LegacyAuthorsTable)
            {
                Interlocked.Exchange(ref checkedAt, now);
                return true;
            }
        }

        gone = true;
        return false;
    }

    /// <summary>The author's aggregate row in the older layout (its own key, then the shared one when <paramref name="sharedKey"/>), or null.</summary>
    public async Task<TableEntity?> ReadAggregateAsync(string authorId, IEnumerable<string>? columns, bool sharedKey, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(authorId);
        var row = await storage.LegacyAuthors.GetEntityIfExistsAsync<TableEntity>(partition, AuthorStore.AggregateRowKey(authorId), columns, cancellationToken).ConfigureAwait(false);
        if (!row.HasValue && sharedKey)
        {
            row = await storage.LegacyAuthors.GetEntityIfExistsAsync<TableEntity>(partition, SharedAggregateRowKey, columns, cancellationToken).ConfigureAwait(false);
        }

        return row.HasValue ? row.Value : null;
    }

    /// <summary>The author's paper rows in the older layout, row keys from <paramref name="low"/> below <paramref name="below"/>.</summary>
    public AsyncPageable<TableEntity> PaperRows(string authorId, int pageSize, string low, string below) =>
        storage.LegacyAuthors.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(authorId)} and RowKey ge {low} and RowKey lt {below}"), pageSize);

    /// <summary>Every aggregate row of the older layout (<paramref name="columns"/> only when given).</summary>
    public AsyncPageable<TableEntity> ScanAggregates(IEnumerable<string>? columns, int pageSize, CancellationToken cancellationToken) =>
        storage.LegacyAuthors.QueryAsync<TableEntity>(AggregateRows, maxPerPage: pageSize, select: columns, cancellationToken: cancellationToken);

    /// <summary>Deletes every row of the author's partition in the older layout (after the author was moved), a transaction per 100 rows.</summary>
    public async Task DeleteAuthorAsync(string authorId, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(authorId);
        var keys = new List<string>();
        await foreach (var row in storage.LegacyAuthors.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            try
            {
                await storage.LegacyAuthors.SubmitTransactionAsync([.. chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All))], cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another mover deleted some first: delete the rest one by one.
                foreach (var key in chunk)
                {
                    await storage.LegacyAuthors.DeleteEntityAsync(partition, key, ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Deletes the table once every author was moved out of it.</summary>
    public async Task DeleteTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.TableService.DeleteTableAsync(StorageNames.LegacyAuthorsTable, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Another instance deleted it first.
        }

        gone = true;
    }
}

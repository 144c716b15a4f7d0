using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// A table whose partitions each hold one sorted list packed into pages (<see cref="RankPage"/>,
/// <see cref="RankingPartition"/>): the ranking lists and the name index. Changes to a partition are applied to the
/// pages this instance holds (read when it holds none, or when another instance changed them) and each changed page is
/// written once, on its ETag, in one transaction per partition; this instance then keeps the pages it wrote, up to
/// the bytes <c>cacheBytes</c> allows. Reads are range queries from the page that holds a key.
/// </summary>
internal sealed class PagedPartitions(TableClient table, Func<long> cacheBytes)
{
    private const int MaxActions = 100;
    private const long MaxTransactionChars = 1_500_000;
    private const int MaxAttempts = 5;

    private readonly RecentEntries<RankingPartition> kept = new(p => p.Size, cacheBytes);

    // Writers of one partition in this process take turns (striped by the partition's hash), so they write on each
    // other's pages instead of failing each other's ETags; only writers in other processes race.
    private readonly SemaphoreSlim[] turns = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Applies changes to a partition on the pages this instance holds (read when it holds none); a write that finds a
    /// page changed reads the partition and applies them again, after a short random pause, up to
    /// <paramref name="attempts"/> times. Returns the authors whose removals were not there (all of them when every
    /// attempt lost a race).
    /// </summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(string partition, IReadOnlyList<RankChange> changes, CancellationToken cancellationToken, int attempts = MaxAttempts)
    {
        var turn = turns[(uint)StringComparer.Ordinal.GetHashCode(partition) % (uint)turns.Length];
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                var list = kept.Get(partition) ?? await LoadAsync(partition, cancellationToken).ConfigureAwait(false);
                var (writes, stored, missed) = list.Apply(changes);
                if (await WriteAsync(partition, writes, stored, cancellationToken).ConfigureAwait(false))
                {
                    return missed;
                }

                await Task.Delay(Random.Shared.Next(5, 25 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            turn.Release();
        }

        // Lost every race: each author is set right by the caller.
        return [.. changes.Select(c => c.AuthorId).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Writes a partition's page changes in transactions of up to 100 pages; false (and the kept pages dropped) when a
    /// page changed meanwhile. A partition whose changes span several transactions may be left part-written by a
    /// failure: the next attempt reads it, finds the moves already made missing their old entries, and they are set
    /// right by the caller.
    /// </summary>
    public async Task<bool> WriteAsync(string partition, IReadOnlyList<TableTransactionAction> writes, Func<IReadOnlyDictionary<string, ETag>, RankingPartition> stored, CancellationToken cancellationToken)
    {
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        try
        {
            foreach (var chunk in Transactions(writes))
            {
                var response = await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < chunk.Count; i++)
                {
                    if (chunk[i].ActionType != TableTransactionActionType.Delete && response.Value[i].Headers.ETag is { } etag)
                    {
                        etags[chunk[i].Entity.RowKey] = etag;
                    }
                }
            }
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            kept.Forget(partition);
            return false;
        }

        if (etags.Count == writes.Count(w => w.ActionType != TableTransactionActionType.Delete))
        {
            kept.Set(partition, stored(etags));
        }
        else
        {
            kept.Forget(partition);
        }

        return true;
    }

    private static IEnumerable<List<TableTransactionAction>> Transactions(IReadOnlyList<TableTransactionAction> writes)
    {
        var chunk = new List<TableTransactionAction>();
        long chars = 0;
        foreach (var write in writes)
        {
            // A page's text goes as Brotli bytes, sent in base64.
            var size = 512L + (write.Entity is TableEntity entity ? entity.Sum(p => p.Value switch { string text => text.Length, byte[] bytes => (bytes.Length * 4L / 3) + 4, _ => 16L }) : 0);
            if (chunk.Count > 0 && (chunk.Count >= MaxActions || chars + size > MaxTransactionChars))
            {
                yield return chunk;
                chunk = [];
                chars = 0;
            }

            chunk.Add(write);
            chars += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>Every page of a partition, read now.</summary>
    public async Task<RankingPartition> LoadAsync(string partition, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return RankingPartition.Load(partition, rows);
    }

    /// <summary>
    /// Up to <paramref name="top"/> entries of a partition from the key <paramref name="from"/> on (after it unless
    /// <paramref name="inclusive"/>) and below <paramref name="below"/> (null: to the end), in key order, and whether
    /// the partition has more. Read from the page that holds the key: the first whose upper bound is above it.
    /// </summary>
    public async Task<(List<KeyValuePair<string, RankEntry>> Entries, bool More)> ReadAsync(string partition, string from, bool inclusive, string? below, int top, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {from}");
        // Pages hold half their capacity on average.
        var perRequest = Math.Clamp((top / (RankPage.Capacity / 2)) + 2, 2, 1_000);
        var entries = new List<KeyValuePair<string, RankEntry>>();
        bool Within(string key) =>
            (inclusive ? string.CompareOrdinal(key, from) >= 0 : string.CompareOrdinal(key, from) > 0) && (below is null || string.CompareOrdinal(key, below) < 0);
        await foreach (var response in table.QueryAsync<TableEntity>(filter, perRequest, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
        {
            foreach (var row in response.Values)
            {
                if (entries.Count > top)
                {
                    return (entries, true);
                }

                entries.AddRange(RankPage.FromEntity(row).Entries.Where(e => Within(e.Key)));
                if (below is not null && string.CompareOrdinal(row.RowKey, below) >= 0)
                {
                    // No later page holds a key below the bound.
                    return (entries, entries.Count > top);
                }
            }

            if (entries.Count > top)
            {
                return (entries, true);
            }
        }

        return (entries, false);
    }
}

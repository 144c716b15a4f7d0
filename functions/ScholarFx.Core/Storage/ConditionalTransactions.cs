using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Many conditional writes to one table sent as few requests: each partition's actions go in transactions of up to 100
/// actions and about 3 MiB. Each action keeps its own condition (an add fails when the row is there, a replace on
/// another ETag); one that fails its condition would fail its whole transaction, so the service's answer names it
/// (<see cref="TableTransactionFailedException.FailedTransactionActionIndex"/>): that action alone is answered "lost"
/// and the rest are sent again without it. A failure the service does not pin to one action sends each on its own.
/// </summary>
internal static class ConditionalTransactions
{
    /// <summary>Actions in one transaction: the service's limit.</summary>
    private const int MaxActions = 100;

    /// <summary>Times a transaction is sent again without an action that lost its race before the rest go alone.</summary>
    private const int MaxResends = 4;

    /// <summary>Bytes of one transaction's body we send at most (the service takes 4 MiB).</summary>
    private const long MaxBytes = 3L * 1024 * 1024;

    /// <summary>
    /// Sends the actions and answers, for each in order, whether it was written and the ETag the service gave it (none
    /// for a delete), or not written when its condition failed. <paramref name="alone"/> sends one action on its own
    /// when a transaction failed without naming the action that failed it.
    /// </summary>
    public static async Task<Answer[]> SubmitAsync(
        TableClient table,
        IReadOnlyList<TableTransactionAction> actions,
        Func<int, CancellationToken, Task<Answer>> alone,
        int parallelism,
        CancellationToken cancellationToken)
    {
        var results = new Answer[actions.Count];
        await Parallel.ForEachAsync(Transactions(actions), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (transaction, ct) =>
        {
            var left = transaction.ToList();
            // Each lost race sends the rest again: after a few, the rest go alone, so many losers cost no more than that.
            for (var lost = 0; left.Count > 0; lost++)
            {
                if (lost == MaxResends)
                {
                    foreach (var index in left)
                    {
                        results[index] = await alone(index, ct).ConfigureAwait(false);
                    }

                    return;
                }

                try
                {
                    var answers = await table.SubmitTransactionAsync([.. left.Select(i => actions[i])], ct).ConfigureAwait(false);
                    for (var k = 0; k < left.Count; k++)
                    {
                        results[left[k]] = new Answer(true, answers.Value[k].Headers.ETag);
                    }

                    return;
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
                {
                    var failed = e.FailedTransactionActionIndex is { } at && at >= 0 && at < left.Count ? at : -1;
                    if (failed < 0)
                    {
                        foreach (var index in left)
                        {
                            results[index] = await alone(index, ct).ConfigureAwait(false);
                        }

                        return;
                    }

                    results[left[failed]] = Answer.Lost;
                    left.RemoveAt(failed);
                }
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>What became of one action: written (with the ETag the service answered, if any), or lost to another writer.</summary>
    public readonly record struct Answer(bool Written, ETag? ETag)
    {
        /// <summary>Its condition failed: another writer got there first.</summary>
        public static Answer Lost => default;
    }

    /// <summary>The actions' indexes grouped into transactions: a partition's together, within the count and size limits.</summary>
    private static IEnumerable<int[]> Transactions(IReadOnlyList<TableTransactionAction> actions)
    {
        foreach (var partition in Enumerable.Range(0, actions.Count).GroupBy(i => actions[i].Entity.PartitionKey, StringComparer.Ordinal))
        {
            var current = new List<int>();
            long bytes = 0;
            foreach (var index in partition)
            {
                var size = actions[index].Entity is TableEntity entity ? SentBytes(entity) : 512;
                if (current.Count == MaxActions || (current.Count > 0 && bytes + size > MaxBytes))
                {
                    yield return [.. current];
                    current = [];
                    bytes = 0;
                }

                current.Add(index);
                bytes += size;
            }

            yield return [.. current];
        }
    }

    /// <summary>About how many bytes an entity takes in a transaction's body (binary is sent as Base64).</summary>
    private static long SentBytes(TableEntity entity)
    {
        long bytes = 200;
        foreach (var (key, value) in entity)
        {
            bytes += key.Length + 40 + value switch
            {
                byte[] binary => (binary.Length + 2) / 3 * 4,
                string text => System.Text.Encoding.UTF8.GetByteCount(text) + 16,
                _ => 24,
            };
        }

        return bytes;
    }
}

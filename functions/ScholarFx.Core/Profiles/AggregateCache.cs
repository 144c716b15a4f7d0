using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// The aggregates this process committed last (ledger, figures, ETag; not the rendered profile), up to
/// <see cref="ProfileOptions.CachedLedgerRows"/> paper rows in all, oldest entries dropped first. An entry stands in for
/// the aggregate's point read: the commit that uses it is conditional on its ETag, so an entry another writer has
/// overtaken fails that commit (nothing is written) and is dropped, and the next attempt reads the row.
/// </summary>
public sealed class AggregateCache(IOptions<ProfileOptions> options)
{
    private readonly ConcurrentDictionary<string, StoredAggregate> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string AuthorId, StoredAggregate Entry)> order = new();
    private long rows;

    /// <summary>The aggregate last committed here for the author, or null.</summary>
    public StoredAggregate? Get(string authorId) => entries.GetValueOrDefault(authorId);

    /// <summary>Keeps what was just committed (with the ETag the service gave it).</summary>
    public void Set(StoredAggregate committed)
    {
        var size = Size(committed);
        if (size > options.Value.CachedLedgerRows)
        {
            Forget(committed.AuthorId);
            return;
        }

        var kept = committed with { ProfileJson = "" };
        if (entries.TryGetValue(committed.AuthorId, out var old))
        {
            Interlocked.Add(ref rows, -Size(old));
        }

        entries[committed.AuthorId] = kept;
        Interlocked.Add(ref rows, size);
        order.Enqueue((committed.AuthorId, kept));
        while (Interlocked.Read(ref rows) > options.Value.CachedLedgerRows && order.TryDequeue(out var oldest))
        {
            if (entries.TryRemove(new KeyValuePair<string, StoredAggregate>(oldest.AuthorId, oldest.Entry)))
            {
                Interlocked.Add(ref rows, -Size(oldest.Entry));
            }
        }

        // An author committed again leaves its older place in the queue behind: drop those once they outnumber the entries.
        if (order.Count > (2 * entries.Count) + 1_024)
        {
            for (var n = order.Count; n > 0 && order.TryDequeue(out var queued); n--)
            {
                if (entries.TryGetValue(queued.AuthorId, out var current) && ReferenceEquals(current, queued.Entry))
                {
                    order.Enqueue(queued);
                }
            }
        }
    }

    /// <summary>Drops the author's entry (a commit on it lost a race).</summary>
    public void Forget(string authorId)
    {
        if (entries.TryRemove(authorId, out var old))
        {
            Interlocked.Add(ref rows, -Size(old));
        }
    }

    private static long Size(StoredAggregate aggregate) => 1 + (aggregate.Ledger?.Count ?? 0);
}

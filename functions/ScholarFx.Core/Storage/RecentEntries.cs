using System.Collections.Concurrent;

namespace ScholarFx.Core.Storage;

/// <summary>
/// The entries this process wrote last, by key, up to a total size (<paramref name="capacity"/>, in units
/// <paramref name="size"/> measures), the oldest dropped first. A kept entry stands in for a point read only where the
/// write that uses it is conditional on the entry's ETag: one another writer overtook fails that write, and is dropped.
/// </summary>
public sealed class RecentEntries<T>(Func<T, long> size, Func<long> capacity)
    where T : class
{
    private readonly ConcurrentDictionary<string, T> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, T Entry)> order = new();
    private long total;

    /// <summary>Entries kept now.</summary>
    public int Count => entries.Count;

    /// <summary>The entry last kept under the key, or null.</summary>
    public T? Get(string key) => entries.GetValueOrDefault(key);

    /// <summary>Keeps an entry (replacing the key's older one); one larger than the whole capacity is not kept.</summary>
    public void Set(string key, T entry)
    {
        var weight = size(entry);
        if (weight > capacity())
        {
            Forget(key);
            return;
        }

        if (entries.TryGetValue(key, out var old))
        {
            Interlocked.Add(ref total, -size(old));
        }

        entries[key] = entry;
        Interlocked.Add(ref total, weight);
        order.Enqueue((key, entry));
        while (Interlocked.Read(ref total) > capacity() && order.TryDequeue(out var oldest))
        {
            if (entries.TryRemove(new KeyValuePair<string, T>(oldest.Key, oldest.Entry)))
            {
                Interlocked.Add(ref total, -size(oldest.Entry));
            }
        }

        // A key kept again leaves its older place in the queue behind: drop those once they outnumber the entries.
        if (order.Count > (2 * entries.Count) + 1_024)
        {
            for (var n = order.Count; n > 0 && order.TryDequeue(out var queued); n--)
            {
                if (entries.TryGetValue(queued.Key, out var current) && ReferenceEquals(current, queued.Entry))
                {
                    order.Enqueue(queued);
                }
            }
        }
    }

    /// <summary>Drops the key's entry (a write on it lost a race).</summary>
    public void Forget(string key)
    {
        if (entries.TryRemove(key, out var old))
        {
            Interlocked.Add(ref total, -size(old));
        }
    }
}

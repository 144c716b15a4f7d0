using System.Collections.Concurrent;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// The name-index rows a set of profile commits calls for, written together once every author of the set is committed
/// (<see cref="ProfileBuilder.FlushAsync"/>, which writes the pending ranking moves of <see cref="ProfileRankings"/>
/// too): rows of one index partition share a transaction, so a batch's new authors cost about one request per partition
/// they touch instead of one per word. An attempt that stops before the flush is repaired like a stop between a
/// profile and its index rows: the next attempt writes them again.
/// </summary>
public sealed class NameIndexWrites
{
    private readonly ConcurrentDictionary<string, NameHit> names = new(StringComparer.Ordinal);

    /// <summary>Records the author's index entry (a later one for the same author replaces it).</summary>
    public void Index(NameHit hit) => names[hit.Id] = hit;

    /// <summary>Records the author's entry unless one showing as many papers or more is recorded (the larger count is the later).</summary>
    public void Refresh(NameHit hit) => names.AddOrUpdate(hit.Id, hit, (_, recorded) => recorded.PaperCount >= hit.PaperCount ? recorded : hit);

    /// <summary>Drops the author's recorded entry, if any (an entry given since supersedes it).</summary>
    public void Forget(string authorId) => names.TryRemove(authorId, out _);

    /// <summary>How many authors wait to be indexed.</summary>
    public int NameCount => names.Count;

    /// <summary>Takes every recorded entry, leaving the collector empty.</summary>
    internal List<NameHit> Take()
    {
        var hits = names.Values.ToList();
        foreach (var hit in hits)
        {
            names.TryRemove(new KeyValuePair<string, NameHit>(hit.Id, hit));
        }

        return hits;
    }
}

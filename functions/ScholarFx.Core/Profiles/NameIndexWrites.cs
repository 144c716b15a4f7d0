using System.Collections.Concurrent;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// The name-index rows a batch's profile commits call for, written together once every author of the batch is
/// committed: rows of one index partition share a transaction, so a batch's new authors cost about one request per
/// partition they touch instead of one per word. An attempt that stops before <see cref="FlushAsync"/> is repaired
/// like a stop between a profile and its index row: the next attempt writes the rows again.
/// </summary>
public sealed class NameIndexWrites
{
    private readonly ConcurrentDictionary<string, NameHit> hits = new(StringComparer.Ordinal);

    /// <summary>Records the author's index entry (a later one for the same author replaces it).</summary>
    public void Add(NameHit hit) => hits[hit.Id] = hit;

    /// <summary>How many authors wait to be indexed.</summary>
    public int Count => hits.Count;

    /// <summary>Writes every recorded entry and forgets them.</summary>
    public async Task FlushAsync(IAuthorStore authors, CancellationToken cancellationToken)
    {
        var pending = hits.Values.ToList();
        await authors.IndexNamesAsync(pending, cancellationToken).ConfigureAwait(false);
        foreach (var hit in pending)
        {
            hits.TryRemove(new KeyValuePair<string, NameHit>(hit.Id, hit));
        }
    }
}

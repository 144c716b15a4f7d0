using System.Collections.Concurrent;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// The view rows a set of profile commits calls for — name-index rows and ranking moves — written together once every
/// author of the set is committed (<see cref="ProfileBuilder.FlushAsync"/>): rows of one index partition share a
/// transaction, and so do the moves of one ranking partition (up to 100 rows each), so a batch's authors cost about one
/// request per partition they touch instead of one or two per author. An author moved twice before a flush is moved
/// once, from where the first move started to where the last one ends. An attempt that stops before the flush is
/// repaired like a stop between a profile and its index and ranking rows: the next attempt writes them again.
/// </summary>
public sealed class ProfileWrites
{
    private readonly ConcurrentDictionary<string, NameHit> names = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Category, string AuthorId), RankMove> moves = [];
    private readonly Lock gate = new();

    /// <summary>Records the author's index entry (a later one for the same author replaces it).</summary>
    public void Index(NameHit hit) => names[hit.Id] = hit;

    /// <summary>Records an author's move within a category's rankings.</summary>
    public void Move(string category, string authorId, RankMove move)
    {
        lock (gate)
        {
            moves[(category, authorId)] = moves.TryGetValue((category, authorId), out var earlier) ? earlier with { After = move.After } : move;
        }
    }

    /// <summary>How many authors wait to be indexed.</summary>
    public int NameCount => names.Count;

    /// <summary>How many (category, author) moves wait to be written.</summary>
    public int MoveCount
    {
        get
        {
            lock (gate)
            {
                return moves.Count;
            }
        }
    }

    /// <summary>Takes every recorded entry and move, leaving the collector empty.</summary>
    internal (List<NameHit> Names, Dictionary<string, List<RankMove>> Moves) Take()
    {
        var hits = names.Values.ToList();
        foreach (var hit in hits)
        {
            names.TryRemove(new KeyValuePair<string, NameHit>(hit.Id, hit));
        }

        lock (gate)
        {
            var byCategory = moves.GroupBy(m => m.Key.Category, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(m => m.Key.AuthorId, StringComparer.Ordinal).Select(m => m.Value).ToList(), StringComparer.Ordinal);
            moves.Clear();
            return (hits, byCategory);
        }
    }
}

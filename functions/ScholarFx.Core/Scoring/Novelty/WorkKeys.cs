namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// The identifiers the same-work test compares (a paper's aliases, its authors' ids) as sorted 64-bit keys (<see cref="Fnv64"/>): eight bytes a name instead of a string and a hash set, and the same key on every instance. Two
/// different names share a key with probability about 2⁻⁶⁴ per pair.
/// </summary>
public static class WorkKeys
{
    /// <summary>The sorted, distinct keys of some identifiers.</summary>
    public static ulong[] Of(IEnumerable<string> identifiers)
    {
        var keys = identifiers.Select(Key).Distinct().ToArray();
        Array.Sort(keys);
        return keys;
    }

    /// <summary>Keys sorted and distinct (as the same-work test needs them); sorted distinct input is returned as an array.</summary>
    public static ulong[] Sorted(IReadOnlyList<ulong> keys)
    {
        var array = keys as ulong[] ?? [.. keys];
        for (var i = 1; i < array.Length; i++)
        {
            if (array[i - 1] >= array[i])
            {
                return [.. array.Distinct().Order()];
            }
        }

        return array;
    }

    /// <summary>The key of one identifier.</summary>
    public static ulong Key(string identifier) => Fnv64.Of(identifier);

    /// <summary>Whether two sorted key lists share a key.</summary>
    public static bool Overlap(ulong[] a, ulong[] b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                return true;
            }

            if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return false;
    }
}

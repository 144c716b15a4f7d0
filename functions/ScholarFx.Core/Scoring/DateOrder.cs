namespace ScholarFx.Core.Scoring;

/// <summary>
/// The order of every date-ordered list of papers (the novelty index, the AI calibration): date, then id, so
/// "strictly earlier" is a prefix and every instance holds the same list.
/// </summary>
internal static class DateOrder
{
    /// <summary>Batches above this go in by one sort and merge; smaller ones one by one.</summary>
    private const int MergeAbove = 64;

    /// <summary>Date, then id (ordinal).</summary>
    public static IComparer<T> Of<T>()
        where T : ICohortMember => Holder<T>.Instance;

    /// <summary>
    /// Takes <paramref name="removed"/> (members of the list) out of <paramref name="byDate"/> and puts
    /// <paramref name="added"/> in, keeping the order. A few go in one by one; a large batch as one sort and merge —
    /// inserting one by one moves the later members each time, and a million papers out of date order took a minute.
    /// </summary>
    public static void Replace<T>(List<T> byDate, IReadOnlyCollection<T> removed, List<T> added)
        where T : class, ICohortMember
    {
        var order = Of<T>();
        if (added.Count <= MergeAbove)
        {
            foreach (var old in removed)
            {
                byDate.RemoveAt(byDate.BinarySearch(old, order));
            }

            foreach (var member in added)
            {
                var at = byDate.BinarySearch(member, order);
                byDate.Insert(at < 0 ? ~at : at, member);
            }

            return;
        }

        var gone = removed.ToHashSet(ReferenceEqualityComparer.Instance);
        added.Sort(order);
        var merged = new List<T>(byDate.Count + added.Count);
        var i = 0;
        foreach (var member in byDate)
        {
            if (gone.Count > 0 && gone.Contains(member))
            {
                continue;
            }

            while (i < added.Count && order.Compare(added[i], member) < 0)
            {
                merged.Add(added[i++]);
            }

            merged.Add(member);
        }

        merged.AddRange(added.Skip(i));
        byDate.Clear();
        byDate.AddRange(merged);
    }

    private static class Holder<T>
        where T : ICohortMember
    {
        public static readonly IComparer<T> Instance = Comparer<T>.Create((a, b) =>
        {
            var byDate = a.Published.CompareTo(b.Published);
            return byDate != 0 ? byDate : string.CompareOrdinal(a.Id, b.Id);
        });
    }
}

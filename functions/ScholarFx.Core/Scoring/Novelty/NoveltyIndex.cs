namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// The in-process exact nearest-neighbour index of the novelty score. Entries are kept in date order, so
/// "strictly earlier" is a prefix and needs no filter; similarity is the exact cosine of 8-bit vectors
/// (<see cref="Int8Vector"/>), the same number on every instance. Thread-safe: reads share a lock, updates take it exclusively. An approximate
/// index (USearch) or Azure AI Search can replace <see cref="Nearest"/> behind the same shape.
/// </summary>
public sealed class NoveltyIndex(NoveltyOptions options)
{
    private readonly List<CorpusEntry> byDate = [];
    private readonly Dictionary<string, CorpusEntry> byId = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);

    /// <summary>k.</summary>
    public int K => options.NoveltyNeighbours;

    /// <summary>A snapshot of every entry in date order.</summary>
    public IReadOnlyList<CorpusEntry> Snapshot()
    {
        gate.EnterReadLock();
        try
        {
            return [.. byDate];
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The entry of a paper, or null.</summary>
    public CorpusEntry? Get(string id)
    {
        gate.EnterReadLock();
        try
        {
            return byId.GetValueOrDefault(id);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Number of entries.</summary>
    public int Count
    {
        get
        {
            gate.EnterReadLock();
            try
            {
                return byDate.Count;
            }
            finally
            {
                gate.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Removes entries (a paper that lost its embedding); later papers that had one as a neighbour are marked stale and
    /// returned.
    /// </summary>
    public IReadOnlyList<CorpusEntry> Remove(IReadOnlyCollection<string> ids)
    {
        gate.EnterWriteLock();
        try
        {
            var stale = new List<CorpusEntry>();
            var gone = new HashSet<string>(StringComparer.Ordinal);
            var removed = new List<CorpusEntry>();
            foreach (var id in ids)
            {
                if (byId.Remove(id, out var old))
                {
                    removed.Add(old);
                    gone.Add(id);
                }
            }

            DateOrder.Replace(byDate, removed, []);

            if (gone.Count == 0)
            {
                return stale;
            }

            foreach (var entry in byDate)
            {
                if (entry.HasNeighbourIn(gone))
                {
                    entry.Stale = true;
                    stale.Add(entry);
                }
            }

            return stale;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>
    /// Adds or replaces entries. Later papers whose neighbourhood the new entries may change (an earlier paper more
    /// similar than their k-th neighbour, fewer than k neighbours, or a replaced neighbour) are marked stale and returned.
    /// </summary>
    public IReadOnlyList<CorpusEntry> Upsert(IEnumerable<CorpusEntry> entries, bool detectStale = true)
    {
        gate.EnterWriteLock();
        try
        {
            // The last entry of an id wins, as if the entries were applied one after another.
            var latest = new Dictionary<string, CorpusEntry>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                latest[entry.Id] = entry;
            }

            var added = latest.Values.ToList();
            var earliest = int.MaxValue;
            var replaced = new List<CorpusEntry>();
            foreach (var entry in added)
            {
                if (byId.TryGetValue(entry.Id, out var old))
                {
                    replaced.Add(old);
                    earliest = Math.Min(earliest, old.DateKey);
                }

                earliest = Math.Min(earliest, entry.DateKey);
                byId[entry.Id] = entry;
            }

            DateOrder.Replace(byDate, replaced, added);

            var stale = new List<CorpusEntry>();
            if (!detectStale)
            {
                return stale;
            }

            var addedIds = added.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            // Neighbours are strictly earlier, so only papers dated after the earliest change can be affected.
            for (var i = LowerBound(earliest + 1); i < byDate.Count; i++)
            {
                var later = byDate[i];
                if (addedIds.Contains(later.Id))
                {
                    continue;
                }

                var affected = later.HasNeighbourIn(addedIds) ||
                    added.Any(a => a.DateKey < later.DateKey && (later.Nearest.Length < K || a.Similarity(later) > later.KthSimilarity));
                if (affected)
                {
                    later.Stale = true;
                    stale.Add(later);
                }
            }

            return stale;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>
    /// The k most similar strictly earlier papers, most similar first (ties by id), excluding the same work:
    /// a paper sharing an alias, or near-identical text with an overlapping author.
    /// </summary>
    public Near[] Nearest(CorpusEntry paper)
    {
        gate.EnterReadLock();
        try
        {
            return NearestUnlocked(paper);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// <see cref="Nearest"/> for many papers at once through blocked matrix products (<see cref="BlockedNearest"/>):
    /// the candidates are found in bulk, then their similarities are recomputed exactly as <see cref="Nearest"/> does,
    /// so both paths give the same neighbours and values.
    /// </summary>
    public Near[][] NearestMany(IReadOnlyList<CorpusEntry> papers)
    {
        const int Margin = 4;
        gate.EnterReadLock();
        try
        {
            if (papers.Count == 0 || byDate.Count == 0)
            {
                return [.. papers.Select(_ => Array.Empty<Near>())];
            }

            var limits = papers.Select(p => LowerBound(p.DateKey)).ToArray();
            var m = K + Margin;
            // The blocked search ranks on decoded floats; the candidates are then re-ranked by the exact similarity.
            var found = BlockedNearest.Search(byDate.Count, (row, into) => byDate[row].DecodeInto(into), (row, into) => papers[row].DecodeInto(into), byDate[0].Dimensions, limits, m);
            var result = new Near[papers.Count][];
            Parallel.For(0, papers.Count, i =>
            {
                var paper = papers[i];
                var candidates = found[i]
                    .Select(c => (Entry: byDate[c], Similarity: paper.Similarity(byDate[c])))
                    .ToList();
                var kept = candidates
                    .Where(x => !IsSameWork(paper, x.Entry, x.Similarity))
                    .OrderByDescending(x => x.Similarity).ThenBy(x => x.Entry.Id, StringComparer.Ordinal)
                    .Take(K)
                    .ToList();
                // When more candidates exist than were kept, same-work exclusions may have eaten the margin, or a tie
                // (within the kernel's rounding) at the boundary may hide an equally similar paper with a smaller id:
                // then the exact scan decides. Both are rare in real corpora.
                var ambiguous = candidates.Count == m &&
                    (kept.Count < K || kept[^1].Similarity <= candidates.Min(x => x.Similarity) + 1e-5f);
                result[i] = ambiguous
                    ? NearestUnlocked(paper)
                    : [.. kept.Select(x => new Near(x.Entry, x.Similarity))];
            });
            return result;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// The neighbours and raw values papers would have if they joined the index, without joining it: each paper's k
    /// nearest strictly earlier papers among the index and the other <paramref name="papers"/>, same work excluded.
    /// Ingest gives provisional scores this way; the index itself changes only in log order.
    /// </summary>
    public IReadOnlyList<(Near[] Neighbours, NoveltyMeasure? Measure)> Provisional(IReadOnlyList<CorpusEntry> papers)
    {
        var fromIndex = NearestMany(papers);
        var batch = papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var result = new (Near[], NoveltyMeasure?)[papers.Count];
        gate.EnterReadLock();
        try
        {
            for (var i = 0; i < papers.Count; i++)
            {
                var paper = papers[i];
                var candidates = fromIndex[i].Where(n => !batch.ContainsKey(n.Id)).ToList();
                foreach (var other in papers)
                {
                    if (other.DateKey < paper.DateKey)
                    {
                        var similarity = paper.Similarity(other);
                        if (!IsSameWork(paper, other, similarity))
                        {
                            candidates.Add(new Near(other, similarity));
                        }
                    }
                }

                // An index neighbour that is an older version of a batch paper was left out above; refill from the index.
                if (candidates.Count < K && fromIndex[i].Length == K)
                {
                    candidates.AddRange(NearestExcluding(paper, batch));
                }

                Near[] top = [.. candidates.DistinctBy(n => n.Id).OrderByDescending(n => n.Similarity).ThenBy(n => n.Id, StringComparer.Ordinal).Take(K)];
                result[i] = (top, RelativeNearestDistance.Of(top, K));
            }
        }
        finally
        {
            gate.ExitReadLock();
        }

        return result;
    }

    private IEnumerable<Near> NearestExcluding(CorpusEntry paper, Dictionary<string, CorpusEntry> excluded)
    {
        var earlier = LowerBound(paper.DateKey);
        return Enumerable.Range(0, earlier)
            .Select(i => byDate[i])
            .Where(c => !excluded.ContainsKey(c.Id))
            .Select(c => new Near(c, paper.Similarity(c)))
            .Where(x => !IsSameWork(paper, x.Entry, x.Similarity))
            .OrderByDescending(x => x.Similarity).ThenBy(x => x.Entry.Id, StringComparer.Ordinal)
            .Take(K);
    }

    // The k most similar strictly earlier papers, same work excluded (checked only for a candidate good enough to keep).
    private Near[] NearestUnlocked(CorpusEntry paper) =>
        TopUnlocked(paper, K, 0, LowerBound(paper.DateKey), (candidate, similarity) => !IsSameWork(paper, candidate, similarity));

    /// <summary>
    /// The <paramref name="top"/> entries of <c>byDate[start..end)</c> most similar to <paramref name="query"/> that
    /// <paramref name="keep"/> accepts, most similar first (ties by id). One pass with a bounded heap; the filter runs only
    /// for a candidate that would enter the heap.
    /// </summary>
    private Near[] TopUnlocked(CorpusEntry query, int top, int start, int end, Func<CorpusEntry, float, bool>? keep)
    {
        var best = new PriorityQueue<(CorpusEntry Entry, float Similarity), (float, string)>(top + 1, BestComparer.Instance);
        for (var i = start; i < end; i++)
        {
            var candidate = byDate[i];
            var similarity = query.Similarity(candidate);
            if (best.Count == top && best.TryPeek(out _, out var worst) && !BestComparer.Better((similarity, candidate.Id), worst))
            {
                continue;
            }

            if (keep is not null && !keep(candidate, similarity))
            {
                continue;
            }

            best.Enqueue((candidate, similarity), (similarity, candidate.Id));
            if (best.Count > top)
            {
                best.Dequeue();
            }
        }

        return [.. best.UnorderedItems
            .Select(x => x.Element)
            .OrderByDescending(x => x.Similarity).ThenBy(x => x.Entry.Id, StringComparer.Ordinal)
            .Select(x => new Near(x.Entry, x.Similarity))];
    }

    /// <summary>
    /// The <paramref name="top"/> papers most similar to <paramref name="query"/> (exact cosine of the 8-bit vectors, as
    /// scoring uses), most similar first (ties by id), among those published from <paramref name="from"/> to
    /// <paramref name="to"/> (inclusive; the date order makes the range a slice) that <paramref name="keep"/> accepts.
    /// One pass over the slice: what search by meaning and similar papers cost.
    /// </summary>
    public Near[] Closest(CorpusEntry query, int top, DateOnly? from = null, DateOnly? to = null, Func<CorpusEntry, bool>? keep = null)
    {
        gate.EnterReadLock();
        try
        {
            var start = from is { } f ? LowerBound(f.DayNumber) : 0;
            var end = to is { } t ? LowerBound(t.DayNumber + 1) : byDate.Count;
            return TopUnlocked(query, top, start, end, keep is null ? null : (candidate, _) => keep(candidate));
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <inheritdoc cref="HistoricalCohort.PercentileAll"/>
    public IReadOnlyDictionary<string, (double? Percentile, ReferenceSet? Reference)> PercentileAll()
    {
        gate.EnterReadLock();
        try
        {
            return HistoricalCohort.PercentileAll(byDate, options.Cohort);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Raw novelty of a paper with these neighbours (<see cref="RelativeNearestDistance"/>), or null with fewer than k.</summary>
    public NoveltyMeasure? Measure(IReadOnlyList<Near> neighbours) => RelativeNearestDistance.Of(neighbours, K);

    /// <summary>Raw novelty from neighbours (<see cref="Measure"/>), or null with fewer than k.</summary>
    public double? Raw(IReadOnlyList<Near> neighbours) => Measure(neighbours)?.Raw;

    /// <summary>
    /// A neighbourhood as the corpus log recorded it, on this index's entries; null when one of its papers is not
    /// (or no longer) in the index, so the neighbourhood must be computed again.
    /// </summary>
    public Near[]? Resolve(IReadOnlyList<Neighbour> neighbours)
    {
        gate.EnterReadLock();
        try
        {
            var result = new Near[neighbours.Count];
            for (var i = 0; i < result.Length; i++)
            {
                if (!byId.TryGetValue(neighbours[i].Id, out var entry))
                {
                    return null;
                }

                result[i] = new Near(entry, (float)neighbours[i].Similarity);
            }

            return result;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// The historical cohort percentile of <paramref name="raw"/> for a paper of <paramref name="category"/> published
    /// on <paramref name="published"/>: among papers of the category in the window before it, the share whose raw is
    /// below, ties counted half; the set widens to all categories, then to all earlier papers, below the minimum size.
    /// </summary>
    public (double? Percentile, ReferenceSet? Reference) Percentile(double raw, string? category, DateOnly published, IReadOnlyList<ICohortMember>? extra = null)
    {
        gate.EnterReadLock();
        try
        {
            return HistoricalCohort.Percentile(byDate, options.Cohort, raw, category, published, extra);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Drops every entry (before a reload).</summary>
    public void Clear()
    {
        gate.EnterWriteLock();
        try
        {
            byDate.Clear();
            byId.Clear();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private bool IsSameWork(CorpusEntry paper, CorpusEntry candidate, float similarity) =>
        WorkKeys.Overlap(candidate.AliasKeys, paper.AliasKeys) ||
        (similarity >= options.SameWorkSimilarity && WorkKeys.Overlap(candidate.AuthorKeys, paper.AuthorKeys));

    /// <summary>Index of the first entry dated on or after <paramref name="dateKey"/> (a <see cref="DateOnly.DayNumber"/>).</summary>
    private int LowerBound(int dateKey) => HistoricalCohort.LowerBound(byDate, dateKey);

    /// <summary>Orders the heap so the worst kept neighbour (lowest similarity, then highest id) leaves first.</summary>
    private sealed class BestComparer : IComparer<(float Similarity, string Id)>
    {
        public static readonly BestComparer Instance = new();

        public static bool Better((float Similarity, string Id) a, (float Similarity, string Id) b) =>
            a.Similarity > b.Similarity || (a.Similarity == b.Similarity && string.CompareOrdinal(a.Id, b.Id) < 0);

        public int Compare((float Similarity, string Id) x, (float Similarity, string Id) y) =>
            Better(x, y) ? 1 : Better(y, x) ? -1 : 0;
    }
}

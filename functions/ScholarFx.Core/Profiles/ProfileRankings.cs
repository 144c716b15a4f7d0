using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Keeps each profile's place in the rankings <c>GET /api/profiles?category=&amp;sort=</c> serves: by h-index,
/// citations, Novelty %, AI score and pioneer, within its primary category and among all profiles. A committed profile change
/// records its moves here (only the categories where a figure, or the name, category or paper count they show,
/// changed), in the order the commits of one author happen in this process: an author moved twice before a write is
/// moved once, from where the first move started to where the last one ends. Callers write what is pending once every
/// author of their batch or settling round is committed (<see cref="WriteAsync"/>), one writer at a time, a ranking
/// partition's moves of many authors in one transaction — so the "all" rankings, which every profile is in, cost a
/// fraction of a request per profile, and this process never writes one author's moves out of order.
/// A change that leaves every entry where it stands and only changes what it shows — an existing author's new paper
/// before settling scores it moves the paper count and nothing else — is a refresh: refreshes wait for a complete
/// write (the end or checkpoint of a file, the settling round that ends a burst, the nightly refresh) or until
/// <see cref="MaxRefreshes"/> have gathered, so a burst's many batches rewrite each page they touch about once, not
/// once a batch. A later move of the author takes its refresh along.
/// </summary>
public sealed class ProfileRankings(IRankingStore store, IAuthorStore authors)
{
    /// <summary>The figures a list can be sorted by.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["hIndex", "citations", "novelty", "aiScore", "pioneer"];

    /// <summary>The rankings of every profile, whatever its category.</summary>
    public const string AllCategories = "all";

    private const int Parallelism = 8;
    private const int MaxRepairs = 10;

    private readonly Lock gate = new();
    private readonly Dictionary<(string Category, string AuthorId), RankMove> pending = [];
    private readonly Dictionary<(string Category, string AuthorId), RankMove> refreshes = [];
    private readonly HashSet<(string Category, string AuthorId)> unsure = [];
    private readonly SemaphoreSlim writing = new(1, 1);

    /// <summary>Moves recorded and not written yet.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Refreshes that, once gathered, are written by the next write whether or not it is a complete one.</summary>
    public const int MaxRefreshes = 20_000;

    /// <summary>Refreshes recorded and not written yet.</summary>
    public int Refreshes
    {
        get
        {
            lock (gate)
            {
                return refreshes.Count;
            }
        }
    }

    /// <summary>
    /// Records the moves the change from <paramref name="before"/> to <paramref name="after"/> calls for;
    /// <paramref name="rewrite"/> (a repair after an attempt that may have stopped before its moves were written) writes
    /// the rows again even when unchanged.
    /// </summary>
    public void Record(StoredAggregate? before, StoredAggregate? after, bool rewrite = false)
    {
        var old = Entries(before);
        var now = Entries(after);
        foreach (var category in old.Keys.Union(now.Keys))
        {
            var was = old.GetValueOrDefault(category) ?? [];
            var @is = now.GetValueOrDefault(category) ?? [];
            if (rewrite || !Same(was, @is))
            {
                var authorId = (after ?? before)!.AuthorId;
                if (!rewrite && DisplayOnly(was, @is))
                {
                    Defer(category, authorId, new RankMove(was, @is) { Refresh = true });
                }
                else
                {
                    Add(category, authorId, new RankMove(rewrite ? was.Where(w => !@is.ContainsKey(w.Key) || @is[w.Key] != w.Value).ToDictionary() : was, @is));
                }
            }
        }
    }

    /// <summary>
    /// Has the next write set the author's entries in the categories of <paramref name="before"/> and
    /// <paramref name="after"/> from the stored profile once its moves are written (<see cref="RepairAsync"/>): for an
    /// author whose commit lost a race, whose moves and another process's may be written in either order.
    /// </summary>
    public void Recheck(StoredAggregate? before, StoredAggregate? after)
    {
        var authorId = (after ?? before)?.AuthorId;
        if (authorId is null)
        {
            return;
        }

        lock (gate)
        {
            foreach (var category in Entries(before).Keys.Union(Entries(after).Keys))
            {
                unsure.Add((category, authorId));
            }
        }
    }

    /// <summary>
    /// Whether every entry stays where it stands (same figure, listing time and category) and only the paper count it
    /// shows grows: a refresh. Counts that only grow order refreshes without a clock — the larger is the later — so one
    /// written late (another instance's, or this one's after a newer) never undoes a newer one
    /// (<see cref="RankChange.IfPresent"/>). A count that falls, or a new name, is a move like any other.
    /// </summary>
    internal static bool DisplayOnly(IReadOnlyDictionary<string, RankEntry> was, IReadOnlyDictionary<string, RankEntry> @is) =>
        was.Count > 0 && was.Count == @is.Count && was.All(w => @is.TryGetValue(w.Key, out var e)
            && e.Value == w.Value.Value && e.Since == w.Value.Since && e.PrimaryCategory == w.Value.PrimaryCategory
            && e.Name == w.Value.Name && e.PaperCount > w.Value.PaperCount);

    private void Defer(string category, string authorId, RankMove refresh)
    {
        lock (gate)
        {
            DeferLocked((category, authorId), refresh);
        }
    }

    private void DeferLocked((string Category, string AuthorId) key, RankMove refresh)
    {
        if (pending.ContainsKey(key))
        {
            // A move of the author waits already: the refresh goes with it.
            AddLocked(key, refresh with { Refresh = false });
        }
        else if (refreshes.TryGetValue(key, out var earlier))
        {
            // In whichever order they were recorded: from the smaller count to the larger.
            refreshes[key] = new RankMove(Count(refresh.Before) < Count(earlier.Before) ? refresh.Before : earlier.Before, Count(refresh.After) > Count(earlier.After) ? refresh.After : earlier.After) { Refresh = true };
        }
        else
        {
            refreshes[key] = refresh;
        }
    }

    private static int Count(IReadOnlyDictionary<string, RankEntry> entries) => entries.Values.Select(e => e.PaperCount).DefaultIfEmpty().Max();

    private void Add(string category, string authorId, RankMove move)
    {
        lock (gate)
        {
            AddLocked((category, authorId), move);
        }
    }

    private void AddLocked((string Category, string AuthorId) key, RankMove move)
    {
        if (refreshes.Remove(key, out var refresh))
        {
            // A refresh waiting for this author becomes part of its move (written from where the entries stand now).
            pending[key] = refresh with { Refresh = false };
        }

        if (!pending.TryGetValue(key, out var earlier))
        {
            pending[key] = move;
        }
        else if (Same(earlier.After, move.Before))
        {
            pending[key] = earlier with { After = move.After };
        }
        else if (Same(move.After, earlier.Before))
        {
            // Recorded after the move that followed it (a thread held up between its commit and this call).
            pending[key] = move with { After = earlier.After };
        }
        else
        {
            // Not a chain (an attempt repeated, a rewrite): the latest stands and the author's rows are set from the profile.
            pending[key] = move;
            unsure.Add(key);
        }
    }

    /// <summary>
    /// Writes every pending move: each category's in as few transactions as fit, categories side by side, one writer at
    /// a time. A move whose old row is not there was overtaken — another instance committed a later change of the
    /// author and moved them first — or follows an attempt that stopped before its move; that author's rows are then set
    /// to what their profile says now (<see cref="RepairAsync"/>), so moves written in any order across instances never
    /// list an author twice. Refreshes go along when <paramref name="complete"/> or when <see cref="MaxRefreshes"/> have
    /// gathered; a refresh whose entry is gone (the author moved since) is dropped.
    /// </summary>
    public async Task WriteAsync(CancellationToken cancellationToken, bool complete = false)
    {
        await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<KeyValuePair<(string Category, string AuthorId), RankMove>> taken;
            List<(string Category, string AuthorId)> repairs;
            lock (gate)
            {
                var withRefreshes = complete || refreshes.Count >= MaxRefreshes;
                // Disjoint: a move of an author takes its refresh along.
                taken = [.. withRefreshes ? pending.Concat(refreshes) : pending];
                repairs = [.. unsure];
                if (withRefreshes)
                {
                    refreshes.Clear();
                }

                pending.Clear();
                unsure.Clear();
            }

            var moves = taken.GroupBy(m => m.Key.Category, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(m => m.Key.AuthorId, StringComparer.Ordinal).Select(m => m.Value).ToList(), StringComparer.Ordinal);
            var missed = new System.Collections.Concurrent.ConcurrentBag<(string, string)>(repairs);
            try
            {
                await Parallel.ForEachAsync(moves, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (category, ct) =>
                {
                    foreach (var authorId in await store.MoveManyAsync(category.Key, category.Value, ct).ConfigureAwait(false) ?? [])
                    {
                        missed.Add((category.Key, authorId));
                    }
                }).ConfigureAwait(false);
            }
            catch
            {
                // Every writer's moves go in one write (a settling's flush takes ingest's too): what it took is given back
                // for the next write, as older than anything recorded since. A move that did land finds its old entry gone
                // next time and is set from the profile; a refresh that landed is written again as it stands.
                GiveBack(taken, repairs);
                throw;
            }

            foreach (var (category, authorId) in missed.Distinct())
            {
                await RepairAsync(category, authorId, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            writing.Release();
        }
    }

    private void GiveBack(IEnumerable<KeyValuePair<(string Category, string AuthorId), RankMove>> taken, IEnumerable<(string Category, string AuthorId)> repairs)
    {
        lock (gate)
        {
            foreach (var (key, move) in taken)
            {
                if (move.Refresh)
                {
                    DeferLocked(key, move);
                }
                else
                {
                    AddLocked(key, move);
                }
            }

            foreach (var key in repairs)
            {
                unsure.Add(key);
            }
        }
    }

    /// <summary>
    /// Sets an author's entries in a category's lists to what the stored profile says: the lists are read first and the
    /// profile after, so the profile is at least as new as every move that wrote an entry seen (a profile is committed
    /// before its move is written); a list page that changed meanwhile fails the write, and it is done again.
    /// </summary>
    internal async Task RepairAsync(string category, string authorId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxRepairs; attempt++)
        {
            var found = await store.FindAsync(category, authorId, Sorts, cancellationToken).ConfigureAwait(false);
            var profile = await authors.GetAggregateAsync(authorId, cancellationToken).ConfigureAwait(false);
            var want = Entries(profile).GetValueOrDefault(category) ?? [];
            if (found.Entries.Count == want.Count && found.Entries.All(f => want.TryGetValue(f.Sort, out var w) && w == f.Entry))
            {
                return;
            }

            await store.ReplaceAsync(found, want, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entries of a stored profile by category, then figure: none without papers or ranked figures.</summary>
    internal static Dictionary<string, Dictionary<string, RankEntry>> Entries(StoredAggregate? profile)
    {
        var entries = new Dictionary<string, Dictionary<string, RankEntry>>(StringComparer.Ordinal);
        if (profile is not { Ranked: { } figures, PaperCount: > 0 })
        {
            return entries;
        }

        string[] categories = profile.PrimaryCategory is { Length: > 0 } category && category != AllCategories ? [AllCategories, category] : [AllCategories];
        foreach (var name in categories)
        {
            var byFigure = entries[name] = new Dictionary<string, RankEntry>(StringComparer.Ordinal);
            foreach (var sort in Sorts)
            {
                // No Novelty %, AI score or pioneer yet: not ranked by it (never ranked as 0).
                if (Value(figures, sort) is { } value)
                {
                    byFigure[sort] = new RankEntry(profile.AuthorId, profile.Name, value, profile.PaperCount, profile.PrimaryCategory, figures.Since);
                }
            }
        }

        return entries;
    }

    private static bool Same(IReadOnlyDictionary<string, RankEntry> a, IReadOnlyDictionary<string, RankEntry> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && other == e.Value);

    private static long? Value(RankedFigures figures, string sort) => sort switch
    {
        "hIndex" => figures.HIndex,
        "citations" => figures.Citations,
        "novelty" => figures.Novelty,
        "aiScore" => figures.AiScore,
        "pioneer" => figures.Pioneer,
        _ => null,
    };
}

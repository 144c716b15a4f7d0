using System.Threading.Channels;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Keeps each profile's place in the rankings <c>GET /api/profiles?category=&amp;sort=</c> serves: by h-index,
/// citations, Novelty % and AI score, within its primary category and among all profiles. Called after the profile is
/// committed; a category's rankings are written only when a figure (or the name, category or paper count they show)
/// changed. Moves of profiles rebuilt at the same moment are committed together (group commit): one transaction per
/// category holds up to 100 rows of many authors, so the "all" rankings, which every profile is in, cost a fraction of a
/// request per profile instead of one. Each caller still returns only once its own move is stored.
/// </summary>
public sealed class ProfileRankings(IRankingStore store)
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock gate = new();
    private Task? writer;

    private sealed record Pending(string Category, RankMove Move, string AuthorId, TaskCompletionSource Done);

    /// <summary>The figures a list can be sorted by.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["hIndex", "citations", "novelty", "aiScore"];

    /// <summary>The rankings of every profile, whatever its category.</summary>
    public const string AllCategories = "all";

    /// <summary>
    /// Moves the author in the rankings the change from <paramref name="before"/> to <paramref name="after"/> touches;
    /// <paramref name="rewrite"/> (a repair after an attempt that may have stopped before this) writes them again even
    /// when unchanged.
    /// </summary>
    public async Task UpdateAsync(StoredAggregate? before, StoredAggregate? after, CancellationToken cancellationToken, bool rewrite = false)
    {
        var old = Entries(before);
        var now = Entries(after);
        var waits = new List<Task>();
        foreach (var category in old.Keys.Union(now.Keys))
        {
            var was = old.GetValueOrDefault(category) ?? [];
            var @is = now.GetValueOrDefault(category) ?? [];
            if (rewrite || !Same(was, @is))
            {
                var move = new RankMove(rewrite ? was.Where(w => !@is.ContainsKey(w.Key) || @is[w.Key] != w.Value).ToDictionary() : was, @is);
                var pending = new Pending(category, move, (after ?? before)!.AuthorId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                queue.Writer.TryWrite(pending);
                waits.Add(pending.Done.Task);
            }
        }

        if (waits.Count > 0)
        {
            EnsureWriter();
            await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void EnsureWriter()
    {
        lock (gate)
        {
            writer ??= Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>
    /// Takes every move waiting and commits them per category, forever. An author's second move in one category waits
    /// for the next round (its rows depend on the first), ahead of anything queued since.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var carried = new List<Pending>();
        while (carried.Count > 0 || await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var round = new List<Pending>();
            var later = new List<Pending>();
            var seen = new HashSet<(string, string)>();
            foreach (var pending in carried)
            {
                (seen.Add((pending.Category, pending.AuthorId)) ? round : later).Add(pending);
            }

            while (round.Count < 1_000 && queue.Reader.TryRead(out var next))
            {
                (seen.Add((next.Category, next.AuthorId)) && later.All(l => l.Category != next.Category || l.AuthorId != next.AuthorId) ? round : later).Add(next);
            }

            carried = later;
            foreach (var category in round.GroupBy(p => p.Category, StringComparer.Ordinal))
            {
                try
                {
                    await store.MoveManyAsync(category.Key, [.. category.Select(p => p.Move)], CancellationToken.None).ConfigureAwait(false);
                    foreach (var pending in category)
                    {
                        pending.Done.TrySetResult();
                    }
                }
                catch (Exception e)
                {
                    // The callers see the failure (their attempt fails and is retried); the loop goes on for the others.
                    foreach (var pending in category)
                    {
                        pending.Done.TrySetException(e);
                    }
                }
            }
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
                // No Novelty % or AI score yet: not ranked by it (never ranked as 0).
                if (Value(figures, sort) is { } value)
                {
                    byFigure[sort] = new RankEntry(profile.AuthorId, profile.Name, value, profile.PaperCount, profile.PrimaryCategory);
                }
            }
        }

        return entries;
    }

    private static bool Same(Dictionary<string, RankEntry> a, Dictionary<string, RankEntry> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && other == e.Value);

    private static long? Value(RankedFigures figures, string sort) => sort switch
    {
        "hIndex" => figures.HIndex,
        "citations" => figures.Citations,
        "novelty" => figures.Novelty,
        "aiScore" => figures.AiScore,
        _ => null,
    };
}

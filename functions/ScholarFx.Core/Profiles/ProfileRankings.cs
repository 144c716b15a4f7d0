using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Keeps each profile's place in the rankings <c>GET /api/profiles?category=&amp;sort=</c> serves: by h-index,
/// citations, Novelty % and AI score, within its primary category and among all profiles. Called after the profile is
/// committed; a category's rankings are written only when a figure (or the name, category or paper count they show)
/// changed, in one transaction for all its figures.
/// </summary>
public sealed class ProfileRankings(IRankingStore store)
{
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
        foreach (var category in old.Keys.Union(now.Keys))
        {
            var was = old.GetValueOrDefault(category) ?? [];
            var @is = now.GetValueOrDefault(category) ?? [];
            if (rewrite || !Same(was, @is))
            {
                await store.MoveAsync(category, rewrite ? was.Where(w => !@is.ContainsKey(w.Key) || @is[w.Key] != w.Value).ToDictionary() : was, @is, cancellationToken).ConfigureAwait(false);
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

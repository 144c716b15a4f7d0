using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Keeps each profile's place in the rankings <c>GET /api/profiles?category=&amp;sort=</c> serves: by h-index,
/// citations, Novelty % and AI score, within its primary category and among all profiles. Called after the profile is
/// committed; a ranking changes only where a figure (or the category, name or paper count shown) changed.
/// </summary>
public sealed class ProfileRankings(IRankingStore store)
{
    /// <summary>The figures a list can be sorted by.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["hIndex", "citations", "novelty", "aiScore"];

    /// <summary>The ranking of every profile, whatever its category.</summary>
    public const string AllCategories = "all";

    /// <summary>The name of a ranking: a category (or <see cref="AllCategories"/>) and a figure.</summary>
    public static string Ranking(string category, string sort) => category + "|" + sort;

    /// <summary>
    /// Moves the author in every ranking the change from <paramref name="before"/> to <paramref name="after"/> touches;
    /// <paramref name="rewrite"/> (a repair after an attempt that may have stopped before this) writes the unchanged
    /// entries again too.
    /// </summary>
    public async Task UpdateAsync(StoredAggregate? before, StoredAggregate? after, CancellationToken cancellationToken, bool rewrite = false)
    {
        var old = Entries(before);
        var now = Entries(after);
        foreach (var ranking in old.Keys.Union(now.Keys))
        {
            var (was, @is) = (old.GetValueOrDefault(ranking), now.GetValueOrDefault(ranking));
            await store.MoveAsync(ranking, rewrite && was == @is ? null : was, @is, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entries of a stored profile, by ranking: none for a profile without papers or without ranked figures.</summary>
    internal static Dictionary<string, RankEntry> Entries(StoredAggregate? profile)
    {
        var entries = new Dictionary<string, RankEntry>(StringComparer.Ordinal);
        if (profile is not { Ranked: { } figures, PaperCount: > 0 })
        {
            return entries;
        }

        foreach (var sort in Sorts)
        {
            if (Value(figures, sort) is not { } value)
            {
                // No Novelty % or AI score yet: not ranked by it (never ranked as 0).
                continue;
            }

            var entry = new RankEntry(profile.AuthorId, profile.Name, value, profile.PaperCount, profile.PrimaryCategory);
            entries[Ranking(AllCategories, sort)] = entry;
            if (profile.PrimaryCategory is { Length: > 0 } category)
            {
                entries[Ranking(category, sort)] = entry;
            }
        }

        return entries;
    }

    private static long? Value(RankedFigures figures, string sort) => sort switch
    {
        "hIndex" => figures.HIndex,
        "citations" => figures.Citations,
        "novelty" => figures.Novelty,
        "aiScore" => figures.AiScore,
        _ => null,
    };
}

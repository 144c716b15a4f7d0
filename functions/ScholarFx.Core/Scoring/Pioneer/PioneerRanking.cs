using System.Globalization;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Core.Scoring.Pioneer;

/// <summary>The pioneer state of one paper as one pass over the corpus computes it.</summary>
/// <param name="Raw">Credit share plus tie-break; null while the window holds fewer than the minimum of later papers.</param>
/// <param name="LaterPapers">Later papers in the window.</param>
/// <param name="FollowerCount">Later papers of the window that credited it.</param>
/// <param name="Credit">Sum of 1/rank over them.</param>
/// <param name="VersionOf">The first paper of its chain when it is a version of an earlier paper.</param>
/// <param name="Followers">Its closest followers (empty without a value).</param>
internal sealed record PioneerValue(double? Raw, int LaterPapers, int FollowerCount, double Credit, string? VersionOf, IReadOnlyList<Follower> Followers);

/// <summary>
/// Ranked followers (docs/validity.md, Pioneer candidates): each later paper dated from the lag to the window after a
/// paper credits each of its k nearest earlier papers with 1/rank; a paper's raw value is its credit divided by the
/// later papers of its window. The neighbour lists are the ones novelty already found (every paper's k nearest strictly
/// earlier papers, same work excluded), read backwards — so the whole corpus costs O(N·k), no search. A paper whose
/// nearest earlier paper is at least the version similarity close is a version of it: its followers' credit goes to
/// the first paper of the chain and its own value is 0, so a near-copy never ranks above its original.
/// </summary>
internal static class PioneerRanking
{
    /// <summary>Followers an explanation lists.</summary>
    public const int ShownFollowers = 5;

    // Exact ties (most often: no later paper had the paper among its k nearest) are broken by how close the paper's own
    // k nearest earlier papers are. 1e-9 × a similarity ≤ 1 is below any step of a credit share (≥ 1/(k · later papers)
    // for any window of fewer than 10⁷ papers), so it orders only papers whose credit shares are equal.
    private const double TieBreak = 1e-9;

    /// <summary>Every entry's value; <paramref name="byDate"/> is the index in date order with current neighbourhoods.</summary>
    public static Dictionary<string, PioneerValue> Compute(IReadOnlyList<CorpusEntry> byDate, PioneerOptions options, int k) =>
        Compute(byDate, options, k, e => e.Nearest);

    /// <summary>
    /// Every entry's value with each entry's k nearest strictly earlier papers (most similar first) from
    /// <paramref name="nearestOf"/>: the validity harness gives its own search's neighbourhoods.
    /// </summary>
    public static Dictionary<string, PioneerValue> Compute(IReadOnlyList<CorpusEntry> byDate, PioneerOptions options, int k, Func<CorpusEntry, IReadOnlyList<Near>> nearestOf)
    {
        var n = byDate.Count;
        var position = new Dictionary<CorpusEntry, int>(n, ReferenceEqualityComparer.Instance);
        var days = new int[n];
        for (var i = 0; i < n; i++)
        {
            position[byDate[i]] = i;
            days[i] = byDate[i].Published.DayNumber;
        }

        var lag = Math.Max(1, options.PioneerLagDays);
        var window = options.PioneerWindowDays;
        var root = new int[n];
        for (var i = 0; i < n; i++)
        {
            var nearest = nearestOf(byDate[i]);
            root[i] = nearest.Count > 0 && nearest[0].Similarity >= options.PioneerVersionSimilarity && position.TryGetValue(nearest[0].Entry, out var p) && p < i
                ? root[p]
                : i;
        }

        var credit = new double[n];
        var followers = new int[n];
        var closest = new List<(int Rank, float Similarity, int Follower)>?[n];
        var credited = new HashSet<int>();
        for (var j = 0; j < n; j++)
        {
            var nearest = nearestOf(byDate[j]);
            credited.Clear();
            for (var i = 0; i < Math.Min(k, nearest.Count); i++)
            {
                if (!position.TryGetValue(nearest[i].Entry, out var p))
                {
                    continue;
                }

                var r = root[p];
                if (days[r] + lag > days[j] || days[r] + window < days[j] || !credited.Add(r))
                {
                    continue;
                }

                credit[r] += 1.0 / (i + 1);
                followers[r]++;
                var list = closest[r] ??= [];
                list.Add((i + 1, nearest[i].Similarity, j));
                if (list.Count >= 4 * ShownFollowers)
                {
                    Trim(list, byDate);
                }
            }
        }

        var result = new Dictionary<string, PioneerValue>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var later = UpperBound(days, days[i] + window) - UpperBound(days, days[i] + lag - 1);
            var entry = byDate[i];
            var versionOf = root[i] == i ? null : byDate[root[i]].Id;
            if (later < options.PioneerMinimumLater)
            {
                result[entry.Id] = new PioneerValue(null, later, followers[i], credit[i], versionOf, []);
                continue;
            }

            var raw = versionOf is not null ? 0 : (credit[i] / later) + (TieBreak * Density(nearestOf(entry), k));
            List<Follower> shown = [];
            if (closest[i] is { } list)
            {
                Trim(list, byDate);
                shown = [.. list.Select(f => new Follower(byDate[f.Follower].Id, byDate[f.Follower].Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), f.Rank, f.Similarity))];
            }

            result[entry.Id] = new PioneerValue(raw, later, followers[i], credit[i], versionOf, shown);
        }

        return result;
    }

    /// <summary>Mean similarity of the paper's k nearest earlier papers (0 without any).</summary>
    private static double Density(IReadOnlyList<Near> nearest, int k)
    {
        var count = Math.Min(k, nearest.Count);
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += nearest[i].Similarity;
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>Keeps the closest followers: lowest rank, then most similar, then by id.</summary>
    private static void Trim(List<(int Rank, float Similarity, int Follower)> list, IReadOnlyList<CorpusEntry> byDate)
    {
        list.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank)
            : a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity)
            : string.CompareOrdinal(byDate[a.Follower].Id, byDate[b.Follower].Id));
        if (list.Count > ShownFollowers)
        {
            list.RemoveRange(ShownFollowers, list.Count - ShownFollowers);
        }
    }

    /// <summary>Index of the first day after <paramref name="day"/> in ascending <paramref name="days"/>.</summary>
    internal static int UpperBound(int[] days, int day)
    {
        int lo = 0, hi = days.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (days[mid] <= day)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}

using System.Globalization;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Profiles;

/// <summary>The computed figures of a profile.</summary>
public sealed record ProfileFigures(
    int HIndex,
    int I10Index,
    int PaperCount,
    long CitationCount,
    int? Novelty,
    int? AiScore,
    int ScoredPaperCount,
    int AiScoredPaperCount,
    string? PrimaryCategory,
    DateOnly? FirstPublished,
    DateOnly? LastPublished,
    IReadOnlyList<CoAuthorView> CoAuthors,
    int? Pioneer = null,
    int PioneerPaperCount = 0);

/// <summary>
/// Computes a profile from all of an author's papers. Always a full recomputation from the
/// partition (never an increment), so re-delivered or concurrent ingests cannot double-count.
/// </summary>
public static class ProfileAggregator
{
    /// <summary>Co-authors listed in a profile.</summary>
    public const int TopCoAuthors = 10;

    /// <summary>Computes the figures. <paramref name="papers"/> is in any order; each paper counts once.</summary>
    public static ProfileFigures Compute(string authorId, IReadOnlyCollection<AuthorPaper> papers)
    {
        var distinct = papers.DistinctBy(p => p.Id, StringComparer.Ordinal)
            .OrderByDescending(p => p.Published).ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var citations = distinct.Select(p => p.Citations ?? 0).ToList();
        var novelty = distinct.Where(p => p.Novelty.HasValue).Select(p => p.Novelty!.Value).ToList();
        var ai = distinct.Where(p => p.AiScore.HasValue).Select(p => p.AiScore!.Value).ToList();
        var pioneer = distinct.Where(p => p.Pioneer.HasValue).Select(p => p.Pioneer!.Value).ToList();
        return new ProfileFigures(
            HIndex: HIndex(citations),
            I10Index: citations.Count(c => c >= 10),
            PaperCount: distinct.Count,
            CitationCount: citations.Sum(c => (long)c),
            Novelty: RoundedMean(novelty),
            AiScore: RoundedMean(ai),
            ScoredPaperCount: novelty.Count,
            AiScoredPaperCount: ai.Count,
            PrimaryCategory: PrimaryCategory(distinct),
            FirstPublished: distinct.Count == 0 ? null : distinct[^1].Published,
            LastPublished: distinct.Count == 0 ? null : distinct[0].Published,
            CoAuthors: CoAuthors(authorId, distinct),
            Pioneer: RoundedMean(pioneer),
            PioneerPaperCount: pioneer.Count);
    }

    /// <summary>Largest h such that h papers have at least h citations each (Hirsch 2005, PNAS 102:16569).</summary>
    public static int HIndex(IEnumerable<int> citations)
    {
        var sorted = citations.OrderByDescending(c => c).ToList();
        var h = 0;
        while (h < sorted.Count && sorted[h] >= h + 1)
        {
            h++;
        }

        return h;
    }

    /// <summary>Mean rounded half away from zero to an integer; null for no values.</summary>
    public static int? RoundedMean(IReadOnlyCollection<double> values) =>
        // decimal, not double: one-decimal scores whose exact mean is x.5 must not round down through binary error.
        values.Count == 0 ? null : (int)Math.Round(values.Select(v => (decimal)v).Average(), MidpointRounding.AwayFromZero);

    /// <summary>
    /// Each paper counts once, by its first (primary) category; the most frequent wins; a tie goes to
    /// the category of the most recent paper among the tied ones. <paramref name="newestFirst"/> must be newest first.
    /// </summary>
    public static string? PrimaryCategory(IReadOnlyList<AuthorPaper> newestFirst)
    {
        var counts = new Dictionary<string, (int Count, int NewestIndex)>(StringComparer.Ordinal);
        for (var i = 0; i < newestFirst.Count; i++)
        {
            if (newestFirst[i].Category is not { Length: > 0 } category)
            {
                continue;
            }

            counts[category] = counts.TryGetValue(category, out var seen) ? (seen.Count + 1, seen.NewestIndex) : (1, i);
        }

        return counts.Count == 0
            ? null
            : counts.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Value.NewestIndex).First().Key;
    }

    private static List<CoAuthorView> CoAuthors(string authorId, IReadOnlyList<AuthorPaper> newestFirst)
    {
        var shared = new Dictionary<string, (string Name, int Papers)>(StringComparer.Ordinal);
        foreach (var paper in newestFirst)
        {
            // The author by their profile id, or by the name the paper gives them (an ORCID profile's id is not a name).
            var self = AuthorKey.FromName(paper.AuthorName);
            foreach (var id in paper.Authors.Select(name => (Id: AuthorKey.FromName(name), Name: name)).DistinctBy(a => a.Id))
            {
                if (id.Id == authorId || id.Id == self)
                {
                    continue;
                }

                shared[id.Id] = shared.TryGetValue(id.Id, out var seen) ? (seen.Name, seen.Papers + 1) : (id.Name, 1);
            }
        }

        return [.. shared
            .OrderByDescending(s => s.Value.Papers)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .Take(TopCoAuthors)
            .Select(s => new CoAuthorView(s.Key, s.Value.Name, s.Value.Papers))];
    }

    /// <summary>ISO date or null.</summary>
    internal static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

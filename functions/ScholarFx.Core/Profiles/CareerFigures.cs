namespace ScholarFx.Core.Profiles;

/// <summary>Papers, and citations where sources give them per year, in one calendar year.</summary>
/// <param name="Year">The calendar year.</param>
/// <param name="Papers">Papers published that year.</param>
/// <param name="Citations">Citations received that year by the author's papers whose source gives per-year counts; null when none does.</param>
public sealed record YearFigures(int Year, int Papers, int? Citations);

/// <summary>
/// The recent-window figures (Google Scholar's "since" column). With <see cref="Basis"/> <c>citationsReceived</c> every
/// cited paper's source gave per-year counts, and the figures count the citations received since <see cref="Since"/> by
/// all the author's papers (h-index and i10 over those counts); with <c>papersPublished</c> some did not, and the
/// figures are those of the papers published since then, with their whole counts, as nothing is made up per year.
/// <see cref="PaperCount"/> is the papers published since then either way.
/// </summary>
public sealed record RecentFigures(int Since, string Basis, int PaperCount, long CitationCount, int HIndex, int I10Index);

/// <summary>An institution the author's papers give, with the years and number of those papers.</summary>
public sealed record AffiliationView(string Name, int FirstYear, int LastYear, int Papers);

/// <summary>A career over time: per-year counts, the recent window, affiliations. Computed from the papers alone.</summary>
public static class CareerFigures
{
    /// <summary>Affiliations listed in a profile.</summary>
    public const int TopAffiliations = 10;

    /// <summary>Per calendar year, oldest first; years with citations but no papers are included when known.</summary>
    public static IReadOnlyList<YearFigures> ByYear(IReadOnlyCollection<AuthorPaper> papers)
    {
        var known = papers.Any(p => p.CitationsByYear is { Count: > 0 });
        var paperYears = papers.GroupBy(p => p.Published.Year).ToDictionary(g => g.Key, g => g.Count());
        var citationYears = papers.SelectMany(p => p.CitationsByYear ?? []).GroupBy(c => c.Year).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        return [.. paperYears.Keys.Union(citationYears.Keys).Order()
            .Select(year => new YearFigures(year, paperYears.GetValueOrDefault(year), known ? citationYears.GetValueOrDefault(year) : null))];
    }

    /// <summary>The figures since <paramref name="since"/> (a calendar year, included).</summary>
    public static RecentFigures Recent(IReadOnlyCollection<AuthorPaper> papers, int since)
    {
        var published = papers.Count(p => p.Published.Year >= since);
        var perYearForAll = papers.Any(p => p.CitationsByYear is { Count: > 0 }) &&
            papers.All(p => (p.Citations ?? 0) == 0 || p.CitationsByYear is { Count: > 0 });
        List<int> counts = perYearForAll
            ? [.. papers.Select(p => (p.CitationsByYear ?? []).Where(c => c.Year >= since).Sum(c => c.Count))]
            : [.. papers.Where(p => p.Published.Year >= since).Select(p => p.Citations ?? 0)];
        return new RecentFigures(
            since,
            perYearForAll ? "citationsReceived" : "papersPublished",
            published,
            counts.Sum(c => (long)c),
            ProfileAggregator.HIndex(counts),
            counts.Count(c => c >= 10));
    }

    /// <summary>Institutions the papers give for the author, the most recent first (then the most papers).</summary>
    public static IReadOnlyList<AffiliationView> Affiliations(IReadOnlyCollection<AuthorPaper> papers) =>
        [.. papers
            .SelectMany(p => (p.Affiliations ?? []).Distinct(StringComparer.Ordinal).Select(a => (Name: a, p.Published.Year)))
            .GroupBy(a => a.Name, StringComparer.Ordinal)
            .Select(g => new AffiliationView(g.Key, g.Min(a => a.Year), g.Max(a => a.Year), g.Count()))
            .OrderByDescending(a => a.LastYear).ThenByDescending(a => a.Papers).ThenBy(a => a.Name, StringComparer.Ordinal)
            .Take(TopAffiliations)];
}

using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>How a score relates to later citations, measured only within (primary category, year) cohorts.</summary>
/// <param name="Spearman">Spearman ρ of score and citations per cohort, averaged with the cohort sizes as weights.</param>
/// <param name="Cohorts">Cohorts of at least the minimum size.</param>
/// <param name="Papers">Papers in those cohorts with a score and a count.</param>
/// <param name="TopDecileAboveMedian">Share of the cohorts' top-decile cited papers whose score is above their cohort's median score.</param>
/// <param name="TopDecile">Top-decile papers counted.</param>
/// <param name="SpearmanByYear">The weighted ρ of each year's cohorts.</param>
public sealed record CitationResult(double Spearman, int Cohorts, int Papers, double TopDecileAboveMedian, int TopDecile, IReadOnlyDictionary<int, double> SpearmanByYear);

/// <summary>
/// The citation link of a score: citation counts are raw and grow with age and with the size of a field, so they are
/// compared only among papers of the same primary category and year (cohorts of at least 30 papers), never across.
/// </summary>
public static class CitationLink
{
    /// <summary>The link of <paramref name="score"/> (null: the paper has none and is left out) with the counts.</summary>
    public static CitationResult Measure(
        IEnumerable<CorpusEntry> papers, Func<string, double?> score, IReadOnlyDictionary<string, int> citations, int minimumCohort = 30)
    {
        var cohorts = papers
            .Where(p => p.Category is not null && citations.ContainsKey(p.Id) && score(p.Id) is not null)
            .Select(p => (p.Category, p.Published.Year, Score: score(p.Id)!.Value, Citations: (double)citations[p.Id]))
            .GroupBy(p => (p.Category, p.Year))
            .Where(g => g.Count() >= minimumCohort)
            .ToList();
        double weighted = 0;
        var papersCounted = 0;
        int top = 0, above = 0;
        var byYear = new Dictionary<int, (double Sum, int N)>();
        foreach (var cohort in cohorts)
        {
            var members = cohort.ToList();
            var rho = Statistics.Spearman([.. members.Select(m => m.Score)], [.. members.Select(m => m.Citations)]);
            if (double.IsNaN(rho))
            {
                continue;
            }

            weighted += rho * members.Count;
            papersCounted += members.Count;
            var year = byYear.GetValueOrDefault(cohort.Key.Year);
            byYear[cohort.Key.Year] = (year.Sum + (rho * members.Count), year.N + members.Count);

            // The top decile: the ⌈n/10⌉ most cited, with every paper tied with the last of them; never papers with 0.
            var threshold = members.Select(m => m.Citations).OrderDescending().ElementAt(((members.Count + 9) / 10) - 1);
            var median = Statistics.Median([.. members.Select(m => m.Score)]);
            foreach (var m in members.Where(m => m.Citations >= threshold && m.Citations > 0))
            {
                top++;
                above += m.Score > median ? 1 : 0;
            }
        }

        return new CitationResult(
            papersCounted == 0 ? double.NaN : weighted / papersCounted,
            cohorts.Count,
            papersCounted,
            top == 0 ? double.NaN : above / (double)top,
            top,
            byYear.OrderBy(y => y.Key).ToDictionary(y => y.Key, y => y.Value.Sum / y.Value.N));
    }
}

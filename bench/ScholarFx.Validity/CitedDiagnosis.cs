using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>
/// Why highly cited papers score low: the citation link (within cohorts, as <see cref="CitationLink"/>) of the parts of
/// novelty/2 and of properties no definition should follow, and, on the console only (never in the repository), the
/// nearest earlier papers of each large cohort's most cited paper.
/// </summary>
public static class CitedDiagnosis
{
    /// <summary>Days before a paper that count as "the same batch" on a clustered time axis.</summary>
    public const int SameBatchDays = 60;

    /// <summary>The link of each diagnostic feature with citations.</summary>
    public static IReadOnlyList<(string Feature, CitationResult Link)> Features(
        NoveltyEvaluation evaluation, IReadOnlyList<EvalPaper> papers, IReadOnlyDictionary<string, int> citations, int k)
    {
        var text = papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var density = LocalDensity.Of(evaluation.Corpus);
        var measures = evaluation.Corpus.ToDictionary(e => e.Id, e => RelativeNearestDistance.Of(evaluation.Of(e.Id) ?? [], k), StringComparer.Ordinal);
        double? SameBatch(CorpusEntry e) => evaluation.Of(e.Id) is { Count: > 0 } near
            ? near.Take(k).Count(n => n.Entry.Published.AddDays(SameBatchDays) >= e.Published) / (double)Math.Min(k, near.Count)
            : null;
        var entries = evaluation.Corpus.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var features = new (string, Func<string, double?>)[]
        {
            ("nearest earlier similarity s₁", id => measures[id] is { } m ? 1 - m.NearestDistance : null),
            ("mutual spacing of the k nearest", id => measures[id]?.Spacing),
            ($"mean similarity of the {k} nearest earlier", id => evaluation.Of(id) is { } n && n.Count >= k ? n.Take(k).Average(x => (double)x.Similarity) : null),
            ($"share of the {k} nearest earlier from the same batch (≤ {SameBatchDays} days before)", id => SameBatch(entries[id])),
            ("density: mean similarity of the 20 most similar papers, earlier or later", id => density[id]),
            ("words in the abstract", id => text.TryGetValue(id, out var p) ? p.Abstract.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length : null),
            ("earlier papers in the corpus (history size)", id => evaluation.Corpus.Count(o => o.Published < entries[id].Published)),
        };
        return [.. features.Select(f => (f.Item1, CitationLink.Measure(evaluation.Corpus, f.Item2, citations)))];
    }

    /// <summary>Prints each of the largest cohorts' most cited paper with its novelty/2 percentile and nearest earlier papers.</summary>
    public static void Examples(
        NoveltyEvaluation evaluation, IReadOnlyList<EvalPaper> papers, IReadOnlyDictionary<string, int> citations,
        IReadOnlyDictionary<string, Scored> scores, Action<string> log, int cohorts = 12)
    {
        var text = papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var largest = evaluation.Corpus.Where(e => citations.ContainsKey(e.Id) && e.Category is not null)
            .GroupBy(e => (e.Category, e.Published.Year)).OrderByDescending(g => g.Count()).Take(cohorts);
        foreach (var cohort in largest)
        {
            var top = cohort.MaxBy(e => citations[e.Id])!;
            log($"{cohort.Key.Category} {cohort.Key.Year} (n = {cohort.Count()}): {citations[top.Id]} citations, novelty/2 percentile {scores[top.Id].Percentile:F1}, raw {scores[top.Id].Raw:F3}: {text[top.Id].Title}");
            foreach (var n in (evaluation.Of(top.Id) ?? []).Take(3))
            {
                log($"    {n.Similarity:F3} {n.Entry.Published:yyyy-MM-dd} {text[n.Id].Title}");
            }
        }
    }
}

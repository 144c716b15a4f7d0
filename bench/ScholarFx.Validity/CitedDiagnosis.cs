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

    /// <summary>
    /// What is left of a definition's citation link once a property of the paper is held fixed: each paper's raw value
    /// ranked among the tenth of the corpus nearest in that property (as <see cref="DensityMatched"/> does with the
    /// area density), then the citation link of that rank. A diagnostic, not a definition: some properties (the density
    /// of the whole set, earlier and later) are not known when a paper is scored.
    /// </summary>
    public static IReadOnlyList<(string Feature, CitationResult Link)> Controls(
        NoveltyEvaluation evaluation, IReadOnlyList<EvalPaper> papers, IReadOnlyDictionary<string, int> citations, int k)
    {
        var words = papers.ToDictionary(p => p.Id, p => (double)p.Abstract.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, StringComparer.Ordinal);
        var density = LocalDensity.Of(evaluation.Corpus);
        var area = evaluation.Corpus.ToDictionary(e => e.Id, e => AreaDensity.Of(evaluation.Of(e.Id) is { } n && n.Count > k ? [.. n.Take(k)] : evaluation.Of(e.Id) ?? [], k), StringComparer.Ordinal);
        var topics = TopicSize.Of(evaluation.Corpus, Math.Max(2, evaluation.Corpus.Count / 200));
        var controls = new (string Name, Func<string, double?> Of)[]
        {
            ("area density (2nd–k-th nearest earlier)", id => area[id]),
            ("density of the whole set, earlier and later", id => density[id]),
            ("topic size (k-means)", id => topics[id]),
            ("words in the abstract", id => words.TryGetValue(id, out var w) ? w : null),
        };
        var rows = new List<(string, CitationResult)>();
        foreach (var inner in new[] { NoveltyCandidate.Product, NoveltyCandidate.Cited.First(c => c.Name == "nearest / mean-k") })
        {
            var raw = evaluation.Score(inner, k);
            var wordsInt = words.ToDictionary(w => w.Key, w => (int)w.Value, StringComparer.Ordinal);
            rows.Add(($"{inner.Name}: ρ with words in the abstract (not citations)", CitationLink.Measure(evaluation.Corpus, id => raw[id].Raw, wordsInt)));
            foreach (var control in controls)
            {
                var ranked = BandRank(evaluation.Corpus.Select(e => (e.Id, raw[e.Id].Raw, control.Of(e.Id))).ToList());
                rows.Add(($"{inner.Name}, ranked at equal {control.Name}", CitationLink.Measure(evaluation.Corpus, id => ranked.TryGetValue(id, out var r) ? r : null, citations)));
            }

            // Several properties at once: ln raw with its least-squares fit on them removed (copies, raw ≈ 0, stay lowest).
            var logWords = words.ToDictionary(w => w.Key, w => Math.Log(Math.Max(1, w.Value)), StringComparer.Ordinal);
            foreach (var (name, parts) in new (string, Func<string, double?>[])[]
            {
                ("area density and ln words", [id => area[id], id => logWords.TryGetValue(id, out var w) ? w : null]),
                ("area density, ln words and the density of the whole set", [id => area[id], id => logWords.TryGetValue(id, out var w) ? w : null, id => density[id]]),
            })
            {
                var residual = Residual(evaluation.Corpus.Select(e => (e.Id, raw[e.Id].Raw, parts.Select(f => f(e.Id)).ToArray())).ToList());
                rows.Add(($"{inner.Name}, {name} regressed out", CitationLink.Measure(evaluation.Corpus, id => residual.TryGetValue(id, out var r) ? r : null, citations)));
            }
        }

        return rows;
    }

    private static Dictionary<string, double> Residual(List<(string Id, double? Raw, double?[] X)> rows)
    {
        var known = rows.Where(r => r.Raw is > 1e-3 && r.X.All(x => x is not null))
            .Select(r => (r.Id, Y: Math.Log(r.Raw!.Value), X: r.X.Select(x => x!.Value).Prepend(1.0).ToArray())).ToList();
        var p = known[0].X.Length;
        var a = new double[p, p + 1];
        foreach (var (_, y, x) in known)
        {
            for (var i = 0; i < p; i++)
            {
                for (var j = 0; j < p; j++)
                {
                    a[i, j] += x[i] * x[j];
                }

                a[i, p] += x[i] * y;
            }
        }

        // Gauss-Jordan on the normal equations (a handful of unknowns).
        for (var c = 0; c < p; c++)
        {
            var pivot = Enumerable.Range(c, p - c).MaxBy(r => Math.Abs(a[r, c]));
            for (var j = 0; j <= p; j++)
            {
                (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            }

            for (var r = 0; r < p; r++)
            {
                if (r != c)
                {
                    var f = a[r, c] / a[c, c];
                    for (var j = 0; j <= p; j++)
                    {
                        a[r, j] -= f * a[c, j];
                    }
                }
            }
        }

        var beta = Enumerable.Range(0, p).Select(i => a[i, p] / a[i, i]).ToArray();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var r in rows.Where(r => r.Raw is not null && r.X.All(x => x is not null)))
        {
            var fit = beta[0] + r.X.Select((x, i) => beta[i + 1] * x!.Value).Sum();
            result[r.Id] = Math.Log(Math.Max(r.Raw!.Value, 1e-9)) - fit;
        }

        return result;
    }

    private static Dictionary<string, double> BandRank(List<(string Id, double? Raw, double? Covariate)> rows)
    {
        var known = rows.Where(r => r.Raw is not null && r.Covariate is not null).OrderBy(r => r.Covariate).ToList();
        var width = Math.Max(30, known.Count / 10);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < known.Count; i++)
        {
            var from = Math.Clamp(i - (width / 2), 0, Math.Max(0, known.Count - width));
            var to = Math.Min(known.Count, from + width);
            double below = 0;
            for (var j = from; j < to; j++)
            {
                below += known[j].Raw < known[i].Raw ? 1 : known[j].Raw == known[i].Raw ? 0.5 : 0;
            }

            result[known[i].Id] = below / (to - from);
        }

        return result;
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

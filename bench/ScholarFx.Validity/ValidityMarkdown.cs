using System.Globalization;
using System.Text;

namespace ScholarFx.Validity;

/// <summary>The comparison table of a <see cref="ValidityReport"/> as Markdown, for docs/validity.md.</summary>
public static class ValidityMarkdown
{
    /// <summary>One row per candidate; the columns are the issue's measures.</summary>
    public static string Table(ValidityReport report)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"{report.CorpusPapers:N0} papers; {report.EvaluatedPapers:N0} evaluated ({report.EvaluateFrom:yyyy-MM-dd} to {report.EvaluateTo:yyyy-MM-dd}); k = {report.K}; neighbour search {report.SearchSecondsPer10k:F2} s per 10k papers (shared by all candidates)."));
        s.AppendLine();
        s.AppendLine("| definition | verbatim: bottom 10 % / median / AUROC | reordered: bottom 10 % / median / AUROC | joined: below median / median / AUROC | planted AUROC | Spearman k5–k10 / k10–k20 | most common score | density ρ / sparse fifth / dense fifth | topic size ρ / small fifth / large fifth | date ρ | s per 10k |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in report.Candidates)
        {
            var v = c.Probes[ProbeKind.Verbatim];
            var r = c.Probes[ProbeKind.Reordered];
            var j = c.Probes[ProbeKind.Joined];
            s.AppendLine(Invariant(
                $"| {c.Name} | {v.BottomTenth:P1} / {v.MedianPercentile:F1} / {v.Auroc:F3} | {r.BottomTenth:P1} / {r.MedianPercentile:F1} / {r.Auroc:F3} | {j.BelowMedian:P1} / {j.MedianPercentile:F1} / {j.Auroc:F3} | {c.PlantedAuroc:F3} | {c.SpearmanK5K10:F3} / {c.SpearmanK10K20:F3} | {c.ModalShare:P2} | {c.DensitySpearman:+0.000;-0.000} / {c.SparseFifthMean:F1} / {c.DenseFifthMean:F1} | {c.TopicSpearman:+0.000;-0.000} / {c.SmallTopicFifthMean:F1} / {c.LargeTopicFifthMean:F1} | {c.DateSpearman:+0.000;-0.000} | {c.SecondsPer10k:F3} |"));
        }

        if (report.Ai is { } ai)
        {
            s.AppendLine();
            s.AppendLine(Invariant($"AI assessor {ai.Model} on {ai.Papers:N0} evaluated papers (Spearman ρ):"));
            s.AppendLine();
            s.AppendLine("| score | ρ with novelty | ρ with words | ρ with digits | ρ with digits, papers with ≥ 2 results |");
            s.AppendLine("| --- | --- | --- | --- | --- |");
            foreach (var r in ai.Relations)
            {
                s.AppendLine(Invariant($"| {r.Score} | {r.Novelty:+0.000;-0.000} | {r.Words:+0.000;-0.000} | {r.Digits:+0.000;-0.000} | {r.DigitsAmongResults:+0.000;-0.000} |"));
            }

            s.AppendLine();
            s.AppendLine("| probe | compared | raw above its original | median difference | largest difference | significance / evidence / clarity above |");
            s.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var (kind, p) in ai.Probes)
            {
                s.AppendLine(Invariant($"| {kind} | {p.Count:N0} | {p.HigherShare:P1} | {p.MedianDifference:+0.00;-0.00} | {p.MaxDifference:+0.00;-0.00} | {p.SignificanceHigher:P0} / {p.EvidenceHigher:P0} / {p.ClarityHigher:P0} |"));
            }
        }

        return s.ToString();
    }

    /// <summary>The citation link of each candidate of a run on a corpus with citations.</summary>
    public static string Citations(ValidityReport report) =>
        CitationTable("definition", report.Candidates.Where(c => c.Citations is not null).Select(c => (c.Name, c.Citations!)));

    /// <summary>The citation link of the diagnostic features or of any named scores.</summary>
    public static string CitationTable(string what, IEnumerable<(string Name, CitationResult Link)> rows)
    {
        var list = rows.ToList();
        var years = list.SelectMany(r => r.Link.SpearmanByYear.Keys).Distinct().Order().ToList();
        var s = new StringBuilder();
        s.AppendLine($"| {what} | citation ρ within cohorts (weighted) | cohorts / papers | top-decile cited above the cohort median | {string.Join(" | ", years.Select(y => $"ρ {y}"))} |");
        s.AppendLine($"| --- | --- | --- | --- | {string.Join(" | ", years.Select(_ => "---"))} |");
        foreach (var (name, c) in list)
        {
            s.AppendLine(Invariant($"| {name} | {c.Spearman:+0.000;-0.000} | {c.Cohorts} / {c.Papers:N0} | {c.TopDecileAboveMedian:P1} of {c.TopDecile} | ") +
                string.Join(" | ", years.Select(y => c.SpearmanByYear.TryGetValue(y, out var r) ? r.ToString("+0.000;-0.000", CultureInfo.InvariantCulture) : "–")) + " |");
        }

        return s.ToString();
    }

    /// <summary>The pioneer candidates: citation link, most common value and the near-copies against their originals.</summary>
    public static string Pioneer(IReadOnlyList<PioneerResult> results)
    {
        var s = new StringBuilder();
        var cited = results.Where(r => r.Citations is not null).ToList();
        if (cited.Count == 0)
        {
            // A corpus without citations: what needs none.
            s.AppendLine("| pioneer candidate | papers with a value | most common value | verbatim / reordered / joined copies above their original (compared) | copies tied with their original | planted AUROC | s per 10k |");
            s.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var r in results)
            {
                var copies = string.Join(" / ", Enum.GetValues<ProbeKind>().Select(k => Invariant($"{r.Copies[k].Higher:P1} ({r.Copies[k].Compared})")));
                var tied = string.Join(" / ", Enum.GetValues<ProbeKind>().Select(k => Invariant($"{r.Copies[k].Tied:P1}")));
                s.AppendLine(Invariant($"| {r.Name} | {r.Scored:N0} of {r.Papers:N0} | {r.ModalShare:P2} | {copies} | {tied} | {r.PlantedAuroc:F3} | {r.SecondsPer10k:F3} |"));
            }

            return s.ToString();
        }

        s.AppendLine("| pioneer candidate | papers with a value | citation ρ within cohorts (weighted) | cohorts / papers | top-decile cited above the cohort median | most common value | verbatim / reordered / joined copies above their original (compared) | planted AUROC | s per 10k |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in cited)
        {
            var copies = string.Join(" / ", Enum.GetValues<ProbeKind>().Select(k => Invariant($"{r.Copies[k].Higher:P1} ({r.Copies[k].Compared})")));
            s.AppendLine(Invariant($"| {r.Name} | {r.Scored:N0} | {r.Citations!.Spearman:+0.000;-0.000} | {r.Citations.Cohorts} / {r.Citations.Papers:N0} | {r.Citations.TopDecileAboveMedian:P1} of {r.Citations.TopDecile} | {r.ModalShare:P1} | {copies} | {r.PlantedAuroc:F3} | {r.SecondsPer10k:F3} |"));
        }

        s.AppendLine();
        s.AppendLine(CitationTable("pioneer candidate", cited.Select(r => (r.Name, r.Citations!))));
        return s.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

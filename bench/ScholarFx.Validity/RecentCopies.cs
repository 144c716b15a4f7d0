using System.Globalization;
using System.Text;

namespace ScholarFx.Validity;

/// <summary>A candidate's near-copy result when the copies are published soon after their originals.</summary>
/// <param name="Name">The candidate.</param>
/// <param name="Days">Days between the (later) original and the copy.</param>
/// <param name="BottomTenth">Share of verbatim / reordered copies in the bottom tenth; joined copies below the median.</param>
/// <param name="Scored">Copies of each kind with a score.</param>
public sealed record RecentCopyResult(string Name, int Days, IReadOnlyDictionary<ProbeKind, double> BottomTenth, IReadOnlyDictionary<ProbeKind, int> Scored);

/// <summary>
/// The near-copy probes of the harness re-dated to a few days after their original, for the definitions that leave the
/// last weeks out of prior art: a copy of the same weeks must still land at the bottom (the standard probes come
/// 120–200 days later, so they never test this).
/// </summary>
public static class RecentCopies
{
    public static async Task<IReadOnlyList<RecentCopyResult>> MeasureAsync(
        NoveltyEvaluation evaluation,
        IReadOnlyList<EvalPaper> papers,
        Func<IReadOnlyList<string>, Task<float[][]>> embed,
        ValidityOptions options,
        IReadOnlyList<NoveltyCandidate> candidates,
        IReadOnlyList<int> days)
    {
        var probes = NearCopyProbes.Make(papers, options.ProbesPerKind, options.EvaluateFrom, options.EvaluateTo, options.Seed);
        var vectors = await embed([.. probes.Select(p => p.Paper.Text)]).ConfigureAwait(false);
        var results = new List<RecentCopyResult>();
        foreach (var candidate in candidates)
        {
            foreach (var d in days)
            {
                var shares = new Dictionary<ProbeKind, double>();
                var counts = new Dictionary<ProbeKind, int>();
                foreach (var kind in Enum.GetValues<ProbeKind>())
                {
                    var percentiles = probes.Select((p, i) => (p, i)).Where(x => x.p.Kind == kind)
                        .Select(x => evaluation.ScoreProbe(candidate, options.K, ValidityRun.Entry(
                            x.p.Paper with { Published = x.p.Originals.Max(o => o.Published).AddDays(d) }, vectors[x.i])).Percentile)
                        .OfType<double>().ToList();
                    counts[kind] = percentiles.Count;
                    shares[kind] = Statistics.Share(percentiles, p => p < (kind == ProbeKind.Joined ? 50 : 10));
                }

                results.Add(new RecentCopyResult(candidate.Name, d, shares, counts));
            }
        }

        return results;
    }

    public static string Table(IReadOnlyList<RecentCopyResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine("| definition | copy published after its original | verbatim: bottom 10 % | reordered: bottom 10 % | joined: below median |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Days} d | {r.BottomTenth[ProbeKind.Verbatim]:P1} ({r.Scored[ProbeKind.Verbatim]}) | {r.BottomTenth[ProbeKind.Reordered]:P1} ({r.Scored[ProbeKind.Reordered]}) | {r.BottomTenth[ProbeKind.Joined]:P1} ({r.Scored[ProbeKind.Joined]}) |"));
        }

        return s.ToString();
    }
}

using System.Diagnostics;
using System.Text;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Validity;

namespace ScholarFx.Bench;

/// <summary>
/// The validity harness on papers with citations (docs/validity.md, "Papers with citations"): every candidate definition
/// of novelty and of the pioneer score on <c>../shared/corpus/arxiv-cs-cited-2019-2024</c>, optionally with a corpus of
/// later papers (such as <c>../shared/corpus/arxiv-cv-cl-2025</c>) that count only as later papers. Embeddings share
/// <c>bench/results/embeddings.bin</c> with the validity mode.
/// </summary>
internal static class CitedBench
{
    /// <summary>Near-copies of each kind joined to the corpus for the pioneer candidates unless <c>probes=N</c> says otherwise (the tables of docs/validity.md before "500 copies of each kind").</summary>
    public const int DefaultPioneerProbes = 50;

    /// <summary>
    /// Copies of papers whose windows have later papers: originals from 2019–2022, copies dated 120–200 days later,
    /// <paramref name="perKind"/> of each kind. The same seed for every count, so the first verbatim copies are the same
    /// papers at any count (the other kinds draw after them and differ).
    /// </summary>
    private static (int PerKind, DateOnly From, DateOnly To, int Seed) PioneerProbes(int perKind) => (perKind, new DateOnly(2020, 3, 1), new DateOnly(2023, 6, 30), 7);

    /// <summary>Runs the cited mode.</summary>
    /// <param name="citedFolder">The corpus with citations.</param>
    /// <param name="laterFolder">Papers that count only as later papers, or null.</param>
    /// <param name="cachePath">The embedding cache.</param>
    /// <param name="embedOnly">Only encode the corpora.</param>
    /// <param name="contributionOnly">Embed each paper from its title and the sentences on its own work.</param>
    /// <param name="pioneerOnly">Only the pioneer candidates and the variants of <c>pioneer/1</c>.</param>
    /// <param name="pioneerProbes">Near-copies of each kind joined to the corpus for the pioneer candidates (the novelty candidates keep 50).</param>
    /// <param name="closestOnly">Of the pioneer candidates only the product, and of the variants only <see cref="PioneerVariant.Closest"/>.</param>
    public static async Task RunAsync(string citedFolder, string? laterFolder, string cachePath, bool embedOnly, bool contributionOnly = false, bool pioneerOnly = false, int pioneerProbes = DefaultPioneerProbes, bool closestOnly = false)
    {
        using var embedder = new MiniLmEmbedder();
        var cache = new EmbeddingCache(embedder, cachePath, Console.WriteLine);
        Directory.CreateDirectory("bench/results");
        var (papers, citations, rejected) = await CitedCorpus.LoadAsync(citedFolder, CancellationToken.None);
        Console.WriteLine($"cited corpus {Path.GetFullPath(citedFolder)}: {papers.Count:N0} papers ({rejected} rejected by the reader), {citations.Count:N0} with citations");
        if (contributionOnly)
        {
            // Every paper (and so every probe made from them) embedded from its title and the sentences on its own work.
            var whole = papers.Sum(p => p.Abstract.Length);
            papers = [.. papers.Select(p => p with { Abstract = ContributionText.Of(p.Abstract) })];
            Console.WriteLine($"contribution sentences only: {papers.Sum(p => p.Abstract.Length) / (double)whole:P1} of the abstract text kept");
        }

        IReadOnlyList<EvalPaper> later = [];
        if (laterFolder is not null)
        {
            (later, var laterRejected) = await RealCorpus.LoadAsync(laterFolder, CancellationToken.None);
            Console.WriteLine($"later-only corpus {Path.GetFullPath(laterFolder)}: {later.Count:N0} papers ({laterRejected} rejected)");
        }

        await cache.EmbedAsync([.. papers.Concat(later).Select(p => p.Text)], CancellationToken.None);
        if (embedOnly)
        {
            return;
        }

        Task<float[][]> Embed(IReadOnlyList<string> texts) => cache.EmbedAsync(texts, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var options = new ValidityOptions
        {
            EvaluateFrom = papers[0].Published,
            EvaluateTo = papers[^1].Published,
            ProbesPerKind = 50,
        };
        if (pioneerOnly)
        {
            await PioneerOnlyAsync(papers, later, citations, Embed, options, pioneerProbes, closestOnly, watch);
            return;
        }

        var report = await ValidityRun.RunAsync(papers, Embed, options, NoveltyCandidate.Cited, Console.WriteLine, citations: citations);
        var output = new StringBuilder();
        output.AppendLine(ValidityMarkdown.Table(report)).AppendLine().AppendLine(ValidityMarkdown.Citations(report)).AppendLine();
        Console.WriteLine($"novelty candidates: {watch.Elapsed.TotalSeconds:F0} s");

        // One evaluation of the whole set (later-only papers included) for the diagnosis and the pioneer candidates.
        var all = papers.Concat(later).ToList();
        var vectors = await Embed([.. all.Select(p => p.Text)]);
        var evaluation = new NoveltyEvaluation([.. all.Select((p, i) => ValidityRun.Entry(p, vectors[i]))], 20, options.Cohort);
        var scores = evaluation.Score(NoveltyCandidate.Product, options.K);
        output.AppendLine(ValidityMarkdown.CitationTable("feature", CitedDiagnosis.Features(evaluation, papers, citations, options.K))).AppendLine();
        output.AppendLine(ValidityMarkdown.CitationTable("held fixed", CitedDiagnosis.Controls(evaluation, papers, citations, options.K))).AppendLine();
        CitedDiagnosis.Examples(evaluation, papers, citations, scores, Console.WriteLine);

        // Definitions that leave the last weeks out of prior art: copies published days, not months, after their original.
        var recent = await RecentCopies.MeasureAsync(
            evaluation, papers, Embed, options, [NoveltyCandidate.Product, .. NoveltyCandidate.DensityFree.Where(c => c.Name.Contains("prior art", StringComparison.Ordinal))], [10, 30]);
        output.AppendLine(RecentCopies.Table(recent)).AppendLine();
        Console.WriteLine($"recent copies: {watch.Elapsed.TotalSeconds:F0} s");

        var pioneer = await PioneerRun.RunAsync(
            evaluation, all, citations, Embed, PioneerProbes(pioneerProbes), options.Cohort, Console.WriteLine,
            candidates: closestOnly ? ProductOnly : null,
            variants: closestOnly ? PioneerVariant.Closest : PioneerVariant.Attempts);
        output.AppendLine(ValidityMarkdown.Pioneer(pioneer));
        Console.WriteLine(output);
        Console.WriteLine($"cited: {watch.Elapsed.TotalSeconds:F0} s");
        await File.WriteAllTextAsync(contributionOnly ? "bench/results/validity-cited-contribution.md" : "bench/results/validity-cited.md", output.ToString());
    }

    /// <summary>The product's row alone among the pioneer candidates (<c>closest</c>).</summary>
    private static IReadOnlyList<(PioneerKind Kind, int WindowDays, int LagDays)> ProductOnly { get; } = [(PioneerKind.Product, 730, 60)];

    /// <summary>The pioneer candidates and the variants of the product's definition alone (no novelty candidates, no diagnosis).</summary>
    private static async Task PioneerOnlyAsync(
        IReadOnlyList<EvalPaper> papers,
        IReadOnlyList<EvalPaper> later,
        IReadOnlyDictionary<string, int> citations,
        Func<IReadOnlyList<string>, Task<float[][]>> embed,
        ValidityOptions options,
        int perKind,
        bool closestOnly,
        Stopwatch watch)
    {
        var all = papers.Concat(later).ToList();
        var vectors = await embed([.. all.Select(p => p.Text)]);
        var evaluation = new NoveltyEvaluation([.. all.Select((p, i) => ValidityRun.Entry(p, vectors[i]))], 20, options.Cohort);
        var pioneer = await PioneerRun.RunAsync(
            evaluation, all, citations, embed, PioneerProbes(perKind), options.Cohort, Console.WriteLine,
            candidates: closestOnly ? ProductOnly : null,
            variants: closestOnly ? PioneerVariant.Closest : PioneerVariant.Attempts);
        var table = ValidityMarkdown.Pioneer(pioneer);
        Console.WriteLine(table);
        Console.WriteLine($"cited, pioneer only ({perKind} copies of each kind{(closestOnly ? ", closest variants" : "")}): {watch.Elapsed.TotalSeconds:F0} s");

        // The default run keeps its old file name; another probe count or the closest variants alone get their own.
        var suffix = (perKind == DefaultPioneerProbes ? "" : $"-{perKind}") + (closestOnly ? "-closest" : "");
        await File.WriteAllTextAsync(later.Count > 0 ? $"bench/results/validity-cited-pioneer-later{suffix}.md" : $"bench/results/validity-cited-pioneer{suffix}.md", table);
    }
}

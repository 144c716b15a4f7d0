using System.Diagnostics;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Validity;

namespace ScholarFx.Bench;

/// <summary>
/// Issue 10's evaluation harness (docs/validity.md): every candidate definition of novelty, and the local AI assessor,
/// on the real corpus (default <c>../shared/corpus/arxiv-cv-cl-2025</c>) and on a generated corpus. MiniLM embeddings
/// are cached in <c>bench/results/embeddings.bin</c> (git-ignored) so only the first run encodes (about 11 minutes for
/// the 32k real abstracts on 2 cores). Real papers from August on are evaluated; March–July is their history: the
/// corpus starts on 18 March, so papers of its first months have too little before them to stand for a live service.
/// The pioneer candidates are measured on the real corpus too (with <c>pioneer</c>: only they).
/// </summary>
internal static class ValidityBench
{
    public static async Task RunAsync(string corpusFolder, string cachePath, bool pioneerOnly = false)
    {
        using var embedder = new MiniLmEmbedder();
        var cache = new EmbeddingCache(embedder, cachePath, Console.WriteLine);
        Task<float[][]> Embed(IReadOnlyList<string> texts) => cache.EmbedAsync(texts, CancellationToken.None);
        var ai = (new LocalAssessor(embedder), embedder.Model, NoveltyCandidate.Product);
        Directory.CreateDirectory("bench/results");

        if (Directory.Exists(corpusFolder))
        {
            var (papers, rejected) = await RealCorpus.LoadAsync(corpusFolder, CancellationToken.None);
            Console.WriteLine($"real corpus {Path.GetFullPath(corpusFolder)}: {papers.Count:N0} papers ({rejected} records rejected by the reader), {papers[0].Published:yyyy-MM-dd} to {papers[^1].Published:yyyy-MM-dd}");
            var watch = Stopwatch.StartNew();
            var options = new ValidityOptions { EvaluateFrom = new DateOnly(2025, 8, 1), EvaluateTo = papers[^1].Published };
            if (!pioneerOnly)
            {
                var report = await ValidityRun.RunAsync(papers, Embed, options, NoveltyCandidate.All, Console.WriteLine, ai);
                await Write("real", report, watch.Elapsed);
            }

            await PioneerAsync(papers, Embed, options);
            if (pioneerOnly)
            {
                return;
            }
        }
        else
        {
            Console.WriteLine($"no corpus at {Path.GetFullPath(corpusFolder)}: the real-paper part is skipped");
        }

        var generated = GeneratedAbstracts.Generate(papers: 5000, topics: 250, seed: 11);
        Console.WriteLine($"generated corpus: {generated.Count:N0} papers in 250 topics, 2023–2024");
        var generatedWatch = Stopwatch.StartNew();
        var generatedOptions = new ValidityOptions { EvaluateFrom = new DateOnly(2024, 1, 1), EvaluateTo = new DateOnly(2024, 12, 31), ProbesPerKind = 300 };
        await Write("generated", await ValidityRun.RunAsync(generated, Embed, generatedOptions, NoveltyCandidate.All, Console.WriteLine, ai), generatedWatch.Elapsed);
    }

    /// <summary>
    /// The pioneer candidates that need no later-density search, and the variants of the product's definition, on the
    /// real corpus: no citations here, so papers with a value, the most common value, near-copies (made as for novelty,
    /// 300 of each kind, joined to the corpus) against their originals, the planted AUROC and the time. Written to
    /// <c>bench/results/validity-real-pioneer.md</c>.
    /// </summary>
    private static async Task PioneerAsync(IReadOnlyList<EvalPaper> papers, Func<IReadOnlyList<string>, Task<float[][]>> embed, ValidityOptions options)
    {
        var watch = Stopwatch.StartNew();
        var vectors = await embed([.. papers.Select(p => p.Text)]);
        var evaluation = new NoveltyEvaluation([.. papers.Select((p, i) => ValidityRun.Entry(p, vectors[i]))], 20, options.Cohort);
        Console.WriteLine($"pioneer: neighbours of {evaluation.Corpus.Count:N0} papers up to k = 20 in {evaluation.SearchSeconds:F1} s");
        // Copies dated from half a year to 75 days before the corpus's last day (on the whole corpus: July to mid-October,
        // originals March to June): a later copy's window (from 60 days on) would hold fewer than 200 papers, so it
        // could not be compared with its original.
        var last = papers[^1].Published;
        var results = await PioneerRun.RunAsync(
            evaluation, papers, null, embed, (300, last.AddDays(-182), last.AddDays(-75), options.Seed), options.Cohort, Console.WriteLine,
            PioneerRun.FollowerCandidates, PioneerVariant.Attempts);
        var table = ValidityMarkdown.Pioneer(results);
        Console.WriteLine(table);
        Console.WriteLine($"pioneer on the real corpus: {watch.Elapsed.TotalSeconds:F0} s");
        await File.WriteAllTextAsync("bench/results/validity-real-pioneer.md", table);
    }

    private static async Task Write(string name, ValidityReport report, TimeSpan elapsed)
    {
        var table = ValidityMarkdown.Table(report);
        Console.WriteLine(table);
        Console.WriteLine($"{name}: {elapsed.TotalSeconds:F0} s");
        await File.WriteAllTextAsync($"bench/results/validity-{name}.md", table);
    }
}

using System.Diagnostics;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// The local AI assessor's throughput (papers/s, sequential, on one core) on varied sample abstracts, against the
/// MiniLM encoder on the same texts in the same process: how much the AI score adds to each paper's ingest cost.
/// The assessor reads the paper's stored embedding, so vectors are encoded once (the first 200) and reused.
/// </summary>
internal static class AssessorBench
{
    public static async Task RunAsync(int count)
    {
        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        var texts = EncoderBench.Papers(root, count)
            .Select(p => (Title: p.GetProperty("title").GetString()!, Abstract: p.GetProperty("abstract").GetString()!))
            .ToList();
        using var embedder = new MiniLmEmbedder();
        var encoded = Math.Min(200, count);
        var watch = Stopwatch.StartNew();
        var vectors = new List<float[]>();
        foreach (var text in texts.Take(encoded))
        {
            vectors.AddRange(await embedder.EmbedAsync([text.Title + ". " + text.Abstract], CancellationToken.None));
        }

        var encoderRate = encoded / watch.Elapsed.TotalSeconds;
        var papers = texts.Select((t, i) =>
        {
            var hash = PaperIdentity.ContentHash(t.Title, t.Abstract);
            return new Paper
            {
                Id = $"bench:{i}",
                Title = t.Title,
                Abstract = t.Abstract,
                Authors = [new PaperAuthor("Bench Author")],
                Categories = ["cs.LG"],
                Published = new DateOnly(2024, 1, 1),
                Aliases = [$"bench:{i}"],
                Sources = ["bench"],
                ContentHash = hash,
                Embedding = new PaperEmbedding(embedder.Model, hash, vectors[i % vectors.Count]),
            };
        }).ToList();

        var assessor = new LocalAssessor(embedder);
        await assessor.AssessAsync(papers[0], new ScoringRun(), CancellationToken.None); // anchors embedded once, outside the timing
        watch.Restart();
        var raws = new List<double>(papers.Count);
        foreach (var paper in papers)
        {
            raws.Add((await assessor.AssessAsync(paper, new ScoringRun(), CancellationToken.None)).Assessment!.Raw);
        }

        var assessorRate = papers.Count / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"local assessor, {papers.Count} abstracts (raw scores {raws.Min():F2}–{raws.Max():F2}):");
        Console.WriteLine("| step | papers/s |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| MiniLM encoder, one per call (baseline, {encoded} abstracts) | {encoderRate:F1} |");
        Console.WriteLine($"| local assessor (features + anchor similarities) | {assessorRate:F0} |");
        Console.WriteLine($"assessor time per paper / encoder time per paper: {encoderRate / assessorRate:F4}");
    }
}

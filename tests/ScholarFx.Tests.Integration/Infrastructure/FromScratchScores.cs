using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// The scores a corpus should have, computed from scratch from the stored papers alone: every embedding at once,
/// every neighbourhood, every percentile — what settling must end with, whatever order and instances the papers came in.
/// </summary>
public static class FromScratchScores
{
    /// <summary>Every stored paper's novelty and AI value from scratch, and the stored ones, by id.</summary>
    public static async Task<IReadOnlyList<(string Id, double? ExpectedNovelty, double? StoredNovelty, double? ExpectedAi, double? StoredAi, bool Provisional)>> CompareAsync(
        IPaperStore store, NoveltyOptions options)
    {
        var papers = new List<Paper>();
        await foreach (var paper in store.ScanAsync(CancellationToken.None))
        {
            papers.Add(paper);
        }

        var entries = papers.Where(p => p.Embedding is not null).Select(NoveltyScorer.ToEntry).ToList();
        var index = new NoveltyIndex(options);
        index.Upsert(entries, detectStale: false);
        NoveltyScorer.Recompute(index, entries);
        var novelty = index.PercentileAll();
        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);

        var calibration = new CalibrationSet(options.Cohort);
        foreach (var paper in papers)
        {
            var rubric = paper.Scores.AiScore.Explanation<AiExplanation>()?.Rubric;
            calibration.Set(paper.Id, paper.Published, paper.PrimaryCategory, rubric is null ? null : PriorWork.Raw(rubric, PriorWork.Factor(byId.GetValueOrDefault(paper.Id)?.Raw)));
        }

        var ai = calibration.PercentileAll();
        return [.. papers.Select(p => (
            p.Id,
            byId.ContainsKey(p.Id) ? novelty.GetValueOrDefault(p.Id).Percentile : null,
            p.Scores.Novelty.Value,
            ai.GetValueOrDefault(p.Id).Percentile,
            p.Scores.AiScore.Value,
            p.Scores.Novelty.Explanation<NoveltyExplanation>()?.Provisional == true || p.Scores.AiScore.Explanation<AiExplanation>()?.Provisional == true))];
    }
}

/// <summary>Generated papers for settling tests: fields of papers that share a vocabulary, so neighbours mean something to the TEST embedder.</summary>
public static class FieldPapers
{
    private static readonly string[] Words =
    [
        "graph", "kernel", "attention", "sparse", "robust", "latent", "contrastive", "diffusion", "token", "policy",
        "reward", "manifold", "spectral", "causal", "prior", "posterior", "encoder", "decoder", "memory", "routing",
        "segmentation", "retrieval", "alignment", "distillation", "pruning", "quantisation", "curriculum", "federated",
    ];

    /// <summary><paramref name="count"/> papers of one field dated from <paramref name="start"/>, one every <paramref name="everyDays"/> days.</summary>
    public static List<string> Field(string field, int count, DateOnly start, int everyDays, string[] authors, int seed, string category = "cs.LG")
    {
        var random = new Random(seed);
        var topic = Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)]).ToArray();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var words = string.Join(' ', Enumerable.Range(0, 14).Select(_ => random.Next(3) == 0 ? Words[random.Next(Words.Length)] : topic[random.Next(topic.Length)]));
            var title = $"{field} study {i}: {topic[i % topic.Length]} {Words[random.Next(Words.Length)]}";
            return TestPapers.Paper(title, authors, start.AddDays(i * everyDays).ToString("yyyy-MM-dd"), category: category,
                @abstract: $"We study {words} in {field} and report gains of {random.Next(1, 30)}.{random.Next(10)}% over baselines.", id: $"sfx:{field}-{i}");
        })];
    }
}

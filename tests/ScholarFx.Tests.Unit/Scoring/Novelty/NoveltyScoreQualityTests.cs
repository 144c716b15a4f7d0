using ScholarFx.Validity;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Unit.Scoring.Novelty;

/// <summary>Evidence that the score means something, and that it does not depend on the order papers arrive in.</summary>
public sealed class NoveltyScoreQualityTests(ITestOutputHelper output)
{
    private static readonly NoveltyOptions Options = new() { NoveltyNeighbours = 10, MinimumCohort = 200 };

    [Fact]
    public void FoundingPapers_ScoreHigherThanDerivatives_AurocAtLeast0_95()
    {
        var corpus = PlantedCorpus.Generate(topics: 40, derivativesPerTopic: 12, seed: 42);
        var scores = ScoreFromScratch(corpus.Select(p => p.Entry));

        var founding = corpus.Where(p => p.Founding).Select(p => scores[p.Entry.Id].Value).OfType<double>().ToList();
        var derivative = corpus.Where(p => !p.Founding).Select(p => scores[p.Entry.Id].Value).OfType<double>().ToList();
        var auroc = Statistics.Auroc(founding, derivative);
        output.WriteLine($"AUROC founding vs derivative: {auroc:F4} ({founding.Count} founding, {derivative.Count} derivative papers scored)");

        Assert.True(founding.Count >= 25, $"only {founding.Count} founding papers were scored");
        Assert.True(auroc >= 0.95, $"AUROC {auroc:F4}");
    }

    [Fact]
    public void SameCorpusInTwoOrders_GivesTheSameScoresAfterRescore()
    {
        var corpus = PlantedCorpus.Generate(topics: 15, derivativesPerTopic: 10, seed: 9).Select(p => p.Entry).ToList();
        var chronological = IngestInBatches(corpus.OrderBy(e => e.Published).ThenBy(e => e.Id, StringComparer.Ordinal), batchSize: 7);
        var shuffled = IngestInBatches(corpus.OrderBy(_ => Guid.NewGuid()), batchSize: 7);

        Assert.All(corpus, e => AssertSame(chronological[e.Id], shuffled[e.Id]));
    }

    [Fact]
    public void ChronologicalIngestScores_EqualAFromScratchRescore()
    {
        var corpus = PlantedCorpus.Generate(topics: 15, derivativesPerTopic: 10, seed: 13).Select(p => p.Entry).ToList();
        var atIngest = IngestInBatches(corpus.OrderBy(e => e.Published).ThenBy(e => e.Id, StringComparer.Ordinal), batchSize: 5, rescore: false);
        var fromScratch = ScoreFromScratch(corpus);

        Assert.All(corpus, e => AssertSame(fromScratch[e.Id], atIngest[e.Id]));
    }

    private static void AssertSame(Score expected, Score actual)
    {
        Assert.Equal(expected.Reason, actual.Reason);
        if (expected.Value is null)
        {
            Assert.Null(actual.Value);
        }
        else
        {
            Assert.Equal(expected.Value.Value, actual.Value!.Value, 6);
        }
    }

    /// <summary>Every paper loaded at once, then scored: what a from-scratch rescore computes.</summary>
    private static Dictionary<string, Score> ScoreFromScratch(IEnumerable<CorpusEntry> corpus)
    {
        var entries = corpus.Select(PlantedCorpus.Copy).ToList();
        var index = new NoveltyIndex(Options);
        index.Upsert(entries, detectStale: false);
        NoveltyScorer.Recompute(index, entries);
        return entries.ToDictionary(e => e.Id, e => NoveltyScorer.ScoreOf(index, e, "synthetic"));
    }

    /// <summary>
    /// Ingest as the scorer does it (upsert a batch, mark later papers stale, score the batch); then, unless told not
    /// to, the nightly pass: recompute stale neighbourhoods and re-rank everything.
    /// </summary>
    private static Dictionary<string, Score> IngestInBatches(IEnumerable<CorpusEntry> order, int batchSize, bool rescore = true)
    {
        var index = new NoveltyIndex(Options);
        var scores = new Dictionary<string, Score>(StringComparer.Ordinal);
        foreach (var batch in order.Select(PlantedCorpus.Copy).Chunk(batchSize))
        {
            index.Upsert(batch);
            NoveltyScorer.Recompute(index, batch);
            foreach (var entry in batch)
            {
                scores[entry.Id] = NoveltyScorer.ScoreOf(index, entry, "synthetic");
            }
        }

        if (rescore)
        {
            // As NoveltyRescorer does it: stale neighbourhoods again, then every percentile in one pass.
            var all = index.Snapshot();
            NoveltyScorer.Recompute(index, [.. all.Where(e => e.Stale || e.Raw is null)]);
            var ranked = index.PercentileAll();
            foreach (var entry in all)
            {
                scores[entry.Id] = NoveltyScorer.ScoreOf(index, entry, "synthetic", ranked.GetValueOrDefault(entry.Id));
            }
        }

        return scores;
    }
}

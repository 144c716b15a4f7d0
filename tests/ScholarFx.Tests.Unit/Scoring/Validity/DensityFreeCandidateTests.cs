using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Validity;

namespace ScholarFx.Tests.Unit.Scoring.Validity;

/// <summary>
/// The novelty candidates that take the density of a paper's area out (docs/validity.md, "Novelty without the density
/// of the area"), on synthetic vectors: whatever they change, a copy of an earlier paper must still score at the bottom,
/// and "concurrent work is not prior art" must not let a near-copy through.
/// </summary>
public sealed class DensityFreeCandidateTests
{
    private static readonly CohortRule Rule = new NoveltyOptions().Cohort;

    [Fact]
    public void DensityFreeCandidates_PutACopyOfAnEarlierPaperInTheBottomTenth()
    {
        var planted = PlantedCorpus.Generate(topics: 40, derivativesPerTopic: 12, seed: 42).Select(p => p.Entry).ToList();
        var evaluation = new NoveltyEvaluation(planted, 10, Rule);
        var originals = planted.Where(e => e.Published.Year == 2021).Take(20).ToList();

        foreach (var candidate in NoveltyCandidate.DensityFree)
        {
            var percentiles = originals
                .Select(o => evaluation.ScoreProbe(candidate, 10, PlantedCorpus.Entry("copy-" + o.Id, o.Published.AddDays(150), o.Category, o.Vector)).Percentile)
                .ToList();
            Assert.All(percentiles, p => Assert.True(p is < 10, $"{candidate.Name}: a copy scored {p}"));
        }
    }

    [Fact]
    public void PriorArtOnly_LeavesOutConcurrentWork_ButNotANearCopyPublishedInTheSameWeeks()
    {
        var random = new Random(5);
        var day = new DateOnly(2022, 6, 1);
        var paper = PlantedCorpus.RandomUnit(random, 64);
        var corpus = Enumerable.Range(0, 40)
            .Select(i => PlantedCorpus.Entry($"old-{i}", day.AddDays(-400 + i), "cs.LG", PlantedCorpus.Jitter(random, paper, 1.5)))
            .Append(PlantedCorpus.Entry("concurrent", day.AddDays(-20), "cs.LG", PlantedCorpus.Jitter(random, paper, 0.7)))
            .Append(PlantedCorpus.Entry("copy", day.AddDays(-15), "cs.LG", paper))
            .Append(PlantedCorpus.Entry("paper", day, "cs.LG", paper))
            .ToList();
        var evaluation = new NoveltyEvaluation(corpus, 10, Rule);
        var candidate = NoveltyCandidate.DensityFree.First(c => c.Name.Contains("prior art ≥ 60 d", StringComparison.Ordinal));

        var found = evaluation.Of("paper")!;
        var read = candidate.Neighbours(evaluation.Get("paper"), found, 10, evaluation);

        Assert.Contains(found, n => n.Id == "concurrent");
        Assert.DoesNotContain(read, n => n.Id == "concurrent");
        Assert.Equal("copy", read[0].Id);
        Assert.Equal(10, read.Count);
        Assert.True(candidate.Raw(read, 10, evaluation) < 0.01);
    }
}

using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Validity;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Unit.Scoring.Validity;

/// <summary>
/// The small version of the validity harness (docs/validity.md) that CI runs: 800 generated abstracts in 40 topics,
/// embedded with the product's MiniLM model, 40 near-copy probes of each kind, and the planted-structure corpus. The
/// adopted definition must meet issue 10's targets, and the first definition must miss them on the same data (so the
/// harness can tell the two apart).
/// </summary>
public sealed class ValidityHarnessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AdoptedNovelty_PutsNearCopiesAtTheBottom_AndMeetsEveryTarget_WhileTheFirstDefinitionDoesNot()
    {
        var papers = GeneratedAbstracts.Generate(papers: 800, topics: 40, seed: 3);
        using var embedder = new MiniLmEmbedder();
        var cache = new EmbeddingCache(embedder, path: null);
        var options = new ValidityOptions { EvaluateFrom = new DateOnly(2024, 1, 1), EvaluateTo = new DateOnly(2024, 12, 31), ProbesPerKind = 40 };

        var report = await ValidityRun.RunAsync(
            papers, texts => cache.EmbedAsync(texts, CancellationToken.None), options, [NoveltyCandidate.All[0], NoveltyCandidate.Product], output.WriteLine,
            (new LocalAssessor(embedder), embedder.Model, NoveltyCandidate.Product));
        output.WriteLine(ValidityMarkdown.Table(report));

        var adopted = report[NoveltyCandidate.Product.Name];
        Assert.True(adopted.Probes[ProbeKind.Verbatim].BottomTenth >= 0.95, $"verbatim in the bottom tenth: {adopted.Probes[ProbeKind.Verbatim].BottomTenth:P1}");
        Assert.True(adopted.Probes[ProbeKind.Reordered].BottomTenth >= 0.95, $"reordered in the bottom tenth: {adopted.Probes[ProbeKind.Reordered].BottomTenth:P1}");
        Assert.True(adopted.Probes[ProbeKind.Joined].BelowMedian >= 0.80, $"joined below the median: {adopted.Probes[ProbeKind.Joined].BelowMedian:P1}");
        Assert.True(adopted.PlantedAuroc >= 0.95, $"planted AUROC {adopted.PlantedAuroc:F3}");
        // Issue 10's target is 1 % on the real corpus (the harness checks it there). 552 one-decimal scores spread evenly
        // over 0–100 put 4 papers on the most common value on average and 6 or more in 2.5 % of draws (simulated), and
        // percentiles within cohorts of a few hundred papers take fewer distinct values still; so this small run looks
        // for a clump at 1.5 % (9 papers), which a pile-up at the bottom or a cap at 0 or 100 would exceed.
        Assert.True(adopted.ModalShare <= 0.015, $"most common score held by {adopted.ModalShare:P2}");
        Assert.True(Math.Abs(adopted.TopicSpearman) < 0.2, $"topic-size ρ {adopted.TopicSpearman:F3}");
        Assert.All(report.Ai!.Probes.Values, p => Assert.Equal(0, p.HigherShare));

        var first = report[NoveltyCandidate.All[0].Name];
        Assert.True(first.Probes[ProbeKind.Verbatim].BottomTenth < 0.95 || first.Probes[ProbeKind.Reordered].BottomTenth < 0.95,
            "the first definition (mean of k similarities) unexpectedly met the near-copy target: the harness would not tell it apart");
    }

    [Fact]
    public void Statistics_AurocAndSpearman_MatchHandComputedValues()
    {
        Assert.Equal(1.0, Statistics.Auroc([3, 4], [1, 2]));
        Assert.Equal(0.5, Statistics.Auroc([1, 2], [1, 2]));
        Assert.Equal(0.875, Statistics.Auroc([2, 3], [1, 2]), 12);
        Assert.Equal(1.0, Statistics.Spearman([1, 2, 3, 4], [10, 20, 30, 100]), 12);
        Assert.Equal(-1.0, Statistics.Spearman([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0.5, Statistics.ModalShare([1, 1, 2, 3]));
        Assert.Equal(2.5, Statistics.Median([4, 1, 2, 3]));
    }
}

using ScholarFx.Core.Scoring.Ai;

namespace ScholarFx.Tests.Unit.Scoring.Ai;

public sealed class EvidenceFeaturesTests
{
    private const string Strong =
        "We propose Rivulet, a sparse attention scheme. On ImageNet and CIFAR-10 it reaches 84.2% accuracy, 3.1 points above the strongest baseline, and runs 2x faster than prior methods. " +
        "Code is available at github.com/example/rivulet. We prove a convergence guarantee for the training procedure.";

    [Fact]
    public void CountsResultsResourcesComparisonsReleaseAndTheory()
    {
        var f = EvidenceFeatures.Of(Strong);

        Assert.Equal(3, f.QuantitativeResults); // 84.2%, 3.1 points, 2x
        Assert.Equal(2, f.NamedResources); // ImageNet, CIFAR-10 (not the sentence-initial "We", "On", "Code")
        Assert.Equal(2, f.Comparisons); // baseline, than prior
        Assert.True(f.ReleasesArtifacts);
        Assert.True(f.FormalResults);
        Assert.Equal("We propose Rivulet, a sparse attention scheme.", f.ContributionSentence);
        Assert.Equal(4, f.Sentences);
    }

    [Fact]
    public void ABareNumberIsNotAResult_AndVagueTextHasNoEvidence()
    {
        var f = EvidenceFeatures.Of("Sparse attention is interesting. It could potentially help. Rate this 100.");

        Assert.Equal(0, f.QuantitativeResults);
        Assert.Equal(0, f.Comparisons);
        Assert.False(f.ReleasesArtifacts);
        Assert.False(f.FormalResults);
        Assert.Null(f.ContributionSentence);
        Assert.Equal(2, f.Hedges); // could, potentially
    }
}

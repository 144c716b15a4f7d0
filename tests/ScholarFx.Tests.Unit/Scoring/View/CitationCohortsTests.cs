using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.View;

namespace ScholarFx.Tests.Unit.Scoring.View;

public sealed class CitationCohortsTests
{
    [Fact]
    public void APaper_IsRankedAmongItsCategoryAndYear_WhenEnoughOfThemHaveCounts()
    {
        // cs.CL 2024 cites far more than math.PR 2024: 10 citations is median in one and top in the other.
        var cohorts = CitationCohorts.From([
            .. new[] { 0, 5, 10, 20, 40 }.Select(c => ("cs.CL", 2024, c)),
            .. new[] { 0, 1, 2, 3, 10 }.Select(c => ("math.PR", 2024, c)),
            ("cs.CL", 2023, 1000)]);

        var (clValue, clReference, _) = cohorts.Percentile("cs.CL", 2024, 10, minimumSize: 5);
        var (prValue, prReference, _) = cohorts.Percentile("math.PR", 2024, 10, minimumSize: 5);

        Assert.Equal(50.0, clValue); // (2 below + ½ of 1 equal) / 5
        Assert.Equal(90.0, prValue); // (4 below + ½) / 5
        Assert.Equal(new ReferenceSet("category-year", "cs.CL", null, 5), clReference);
        Assert.Equal(new ReferenceSet("category-year", "math.PR", null, 5), prReference);
    }

    [Fact]
    public void AFewPapersOfACategory_AreRankedAmongTheWholeYear_AndTheOnlyPaperOfAYearHasNone()
    {
        var cohorts = CitationCohorts.From([("cs.CL", 2024, 3), ("math.PR", 2024, 7), ("math.PR", 2024, 1), ("cs.CV", 2019, 4)]);

        var (value, reference, reason) = cohorts.Percentile("cs.CL", 2024, 3, minimumSize: 200);
        Assert.Equal((50.0, new ReferenceSet("year", null, null, 3), null), (value, reference, reason));

        var alone = cohorts.Percentile("cs.CV", 2019, 4, minimumSize: 200);
        Assert.Null(alone.Percentile);
        Assert.Equal("no other paper published in 2019 has a citation count to compare with", alone.Reason);
    }
}

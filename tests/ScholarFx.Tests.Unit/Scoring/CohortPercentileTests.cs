using ScholarFx.Core.Scoring;

namespace ScholarFx.Tests.Unit.Scoring;

public sealed class CohortPercentileTests
{
    [Fact]
    public void Of_CountsTiesHalf()
    {
        // below 2, equal 2, n 5: 100 × (2 + 1) / 5 = 60
        Assert.Equal(60.0, CohortPercentile.Of(0.5, [0.1, 0.2, 0.5, 0.5, 0.9]));
    }

    [Fact]
    public void Of_RoundsHalfAwayFromZeroToOneDecimal()
    {
        // 100 × 1 / 8 = 12.5 exactly; 100 × 1 / 16 = 6.25 → 6.3
        Assert.Equal(12.5, CohortPercentile.Of(0.5, [0.1, .. Enumerable.Repeat(0.9, 7)]));
        Assert.Equal(6.3, CohortPercentile.Of(0.5, [0.1, .. Enumerable.Repeat(0.9, 15)]));
    }

    [Fact]
    public void Of_IsNullForAnEmptyReference()
    {
        Assert.Null(CohortPercentile.Of(0.5, []));
    }

    [Fact]
    public void Of_IsZeroBelowAllAndHundredAboveAll()
    {
        Assert.Equal(0.0, CohortPercentile.Of(0.0, [0.1, 0.2]));
        Assert.Equal(100.0, CohortPercentile.Of(1.0, [0.1, 0.2]));
    }
}

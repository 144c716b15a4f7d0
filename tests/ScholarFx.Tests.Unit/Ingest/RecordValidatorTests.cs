using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class RecordValidatorTests
{
    // FixedClock.Default is 2026-05-10T12:00Z.
    private readonly RecordValidator validator = new(new FixedClock());

    [Fact]
    public void Problem_IsNull_ForCompleteRecord()
    {
        var problem = validator.Problem(Valid());

        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Problem_ReportsMissingTitle(string? title)
    {
        var problem = validator.Problem(Valid() with { Title = title });

        Assert.Equal("missing title", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" \n")]
    public void Problem_ReportsMissingAbstract(string? @abstract)
    {
        var problem = validator.Problem(Valid() with { Abstract = @abstract });

        Assert.Equal("missing abstract", problem);
    }

    [Fact]
    public void Problem_ReportsMissingAuthors()
    {
        var problem = validator.Problem(Valid() with { Authors = [] });

        Assert.Equal("missing authors", problem);
    }

    [Fact]
    public void Problem_ReportsMissingDate()
    {
        var problem = validator.Problem(Valid() with { Published = null });

        Assert.Equal("missing published date (YYYY-MM-DD)", problem);
    }

    [Fact]
    public void Problem_AcceptsDateOneDayAhead_ForTimeZones()
    {
        var problem = validator.Problem(Valid() with { Published = new DateOnly(2026, 5, 11) });

        Assert.Null(problem);
    }

    [Fact]
    public void Problem_ReportsDateMoreThanOneDayAhead()
    {
        var problem = validator.Problem(Valid() with { Published = new DateOnly(2026, 5, 12) });

        Assert.Equal("published date 2026-05-12 is in the future", problem);
    }

    [Fact]
    public void Problem_UsesTheClock_NotTheMachineTime()
    {
        var validatorInThePast = new RecordValidator(new FixedClock(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        var problem = validatorInThePast.Problem(Valid() with { Published = new DateOnly(2020, 1, 3) });

        Assert.Equal("published date 2020-01-03 is in the future", problem);
    }

    [Fact]
    public void Problem_ReportsImplausiblyEarlyDate()
    {
        var problem = validator.Problem(Valid() with { Published = new DateOnly(1066, 10, 14) });

        Assert.Equal("published date 1066-10-14 is implausibly early", problem);
    }

    private static SourceRecord Valid() => new()
    {
        Source = "scholarfx-json",
        Location = "line 1",
        Title = "Deep Nets",
        Abstract = "We study deep nets.",
        Authors = [new PaperAuthor("Boyu Shi")],
        Published = new DateOnly(2026, 5, 9),
    };
}

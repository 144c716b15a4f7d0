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

    public static TheoryData<string, SourceRecord> OverLongRecords()
    {
        var valid = Valid();
        var data = new TheoryData<string, SourceRecord>
        {
            { "the title is 1,001 characters long; at most 1,000 are accepted", valid with { Title = new string('t', 1_001) } },
            { "the abstract is 200,001 characters long; at most 200,000 are accepted", valid with { Abstract = new string('a', 200_001) } },
            { "author 2's name is 201 characters long; at most 200 are accepted", valid with { Authors = [new PaperAuthor("Ann Lee"), new PaperAuthor(new string('n', 201))] } },
            { "5,001 authors; at most 5,000 are accepted", valid with { Authors = [.. Enumerable.Range(0, 5_001).Select(i => new PaperAuthor($"Author {i}"))] } },
            { "the DOI is 201 characters long; at most 200 are accepted", valid with { Doi = "10." + new string('d', 198) } },
            { "the id is 201 characters long; at most 200 are accepted", valid with { GivenId = new string('i', 201) } },
            { "21 categories; at most 20 are accepted", valid with { Categories = [.. Enumerable.Range(0, 21).Select(i => $"cs.X{i}")] } },
            { "a category is 65 characters long; at most 64 are accepted", valid with { Categories = [new string('c', 65)] } },
            { "101 years of citation counts; at most 100 are accepted", valid with { CitationsByYear = [.. Enumerable.Range(1900, 101).Select(y => new YearCount(y, 1))] } },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(OverLongRecords))]
    public void Problem_RefusesValuesOverTheirCaps_WithoutRepeatingThem(string expected, SourceRecord record)
    {
        Assert.Equal(expected, validator.Problem(record));
    }

    [Theory]
    [InlineData("0000-0002-1825-0097", true)] // ORCID's own example iD
    [InlineData("0000-0001-5109-3700", true)]
    [InlineData("0000-0002-1694-233X", true)] // check character X
    [InlineData("0000-0002-1825-0098", false)] // wrong check digit
    [InlineData("0000-0002-1825-009", false)]
    [InlineData("0000 0002 1825 0097", false)]
    [InlineData("ada-lovelace", false)]
    public void AnOrcidThatIsNotOne_IsDroppedWithAWarning_AndThePaperKept(string orcid, bool valid)
    {
        var record = Valid() with { Authors = [new PaperAuthor("Ann Lee"), new PaperAuthor("Bo Shi", orcid)] };

        var (kept, warnings) = RecordValidator.WithoutBadAuthorFields(record);

        Assert.Null(validator.Problem(kept));
        if (valid)
        {
            Assert.Same(record, kept);
            Assert.Empty(warnings);
        }
        else
        {
            Assert.Null(kept.Authors[1].Orcid);
            Assert.Equal("Bo Shi", kept.Authors[1].Name);
            Assert.Equal($"author 2's ORCID iD '{orcid}' is not valid (expected 0000-0002-1825-0097 or its https://orcid.org/ link, with a correct check digit); the paper is kept without it", Assert.Single(warnings));
            // A caller that did not drop it still never stores it.
            Assert.StartsWith("author 2's ORCID iD", validator.Problem(record), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AffiliationsAndAuthorIdsPastTheirCaps_AreDroppedWithAWarning_NotTheRecord()
    {
        var record = Valid() with
        {
            Authors =
            [
                new PaperAuthor("Ann Lee", new string('0', 201), [.. Enumerable.Range(0, 11).Select(i => $"Lab {i}"), new string('u', 301)], ["s2:1", new string('x', 201)]),
            ],
        };

        var (kept, warnings) = RecordValidator.WithoutBadAuthorFields(record);

        Assert.Null(validator.Problem(kept));
        Assert.Equal(3, warnings.Count);
        Assert.Null(kept.Authors[0].Orcid);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"Lab {i}")], kept.Authors[0].Institutions);
        Assert.Equal(["s2:1"], kept.Authors[0].SourceIds);
    }

    [Fact]
    public void Problem_AcceptsValuesAtTheirCaps()
    {
        var record = Valid() with
        {
            Title = new string('t', RecordValidator.MaxTitleChars),
            Authors = [new PaperAuthor(new string('n', RecordValidator.MaxAuthorNameChars))],
            Doi = new string('d', RecordValidator.MaxIdChars),
            Categories = [.. Enumerable.Range(0, RecordValidator.MaxCategories).Select(i => $"cs.{i}")],
        };

        Assert.Null(validator.Problem(record));
    }
}

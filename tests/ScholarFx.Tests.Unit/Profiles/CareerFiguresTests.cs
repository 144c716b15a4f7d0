using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Tests.Unit.Profiles;

public sealed class CareerFiguresTests
{
    [Fact]
    public void ByYear_CountsPapersPerYear_AndCitationsOnlyFromPerYearCounts()
    {
        var papers = new[]
        {
            Paper("a", 2021, 10, [new YearCount(2022, 4), new YearCount(2023, 6)]),
            Paper("b", 2023, 5, null),
            Paper("c", 2023, 0, null),
        };

        var years = CareerFigures.ByYear(papers);

        Assert.Equal(
            [new YearFigures(2021, 1, 0), new YearFigures(2022, 0, 4), new YearFigures(2023, 2, 6)],
            years);
    }

    [Fact]
    public void ByYear_HasNoCitations_WhenNoSourceGivesThemPerYear()
    {
        var years = CareerFigures.ByYear([Paper("a", 2021, 10, null), Paper("b", 2022, 3, null)]);

        Assert.All(years, y => Assert.Null(y.Citations));
        Assert.Equal([1, 1], years.Select(y => y.Papers));
    }

    [Fact]
    public void Recent_CountsCitationsReceivedSince_WhenEveryCitedPaperHasPerYearCounts()
    {
        // Google Scholar's "since 2021": citations received from 2021 on, by every paper, old ones included.
        var papers = new[]
        {
            Paper("old", 2015, 40, [new YearCount(2019, 20), new YearCount(2021, 12), new YearCount(2022, 8)]),
            Paper("new", 2022, 11, [new YearCount(2023, 11)]),
            Paper("uncited", 2023, 0, null),
        };

        var recent = CareerFigures.Recent(papers, 2021);

        Assert.Equal(new RecentFigures(2021, "citationsReceived", 2, 31, 2, 2), recent);
    }

    [Fact]
    public void Recent_FallsBackToPapersPublishedSince_WhenACitedPaperHasNoPerYearCounts()
    {
        var papers = new[]
        {
            Paper("old", 2015, 40, [new YearCount(2021, 12)]),
            Paper("new", 2022, 11, null),
            Paper("newer", 2024, 2, null),
        };

        var recent = CareerFigures.Recent(papers, 2021);

        // Never made up per year: the window holds the papers published since 2021, with their whole counts.
        Assert.Equal(new RecentFigures(2021, "papersPublished", 2, 13, 2, 1), recent);
    }

    [Fact]
    public void Affiliations_AreListedMostRecentFirst_WithTheirYearsAndPapers()
    {
        var papers = new[]
        {
            Paper("a", 2018, 0, null, ["University A"]),
            Paper("b", 2020, 0, null, ["University A", "Lab B"]),
            Paper("c", 2024, 0, null, ["Company C"]),
        };

        var affiliations = CareerFigures.Affiliations(papers);

        Assert.Equal(
            [new AffiliationView("Company C", 2024, 2024, 1), new AffiliationView("University A", 2018, 2020, 2), new AffiliationView("Lab B", 2020, 2020, 1)],
            affiliations);
    }

    private static AuthorPaper Paper(string id, int year, int citations, IReadOnlyList<YearCount>? byYear, IReadOnlyList<string>? affiliations = null) => new()
    {
        Id = id,
        Title = "T " + id,
        Authors = ["Ada"],
        AuthorCount = 1,
        Published = new DateOnly(year, 6, 1),
        Citations = citations,
        CitationsByYear = byYear,
        Affiliations = affiliations,
        AuthorName = "Ada",
    };
}

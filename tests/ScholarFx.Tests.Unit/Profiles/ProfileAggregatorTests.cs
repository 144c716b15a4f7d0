using ScholarFx.Core.Profiles;

namespace ScholarFx.Tests.Unit.Profiles;

public sealed class ProfileAggregatorTests
{
    private const string Self = "boyu-shi";

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 0, 0 }, 0)]
    [InlineData(new[] { 1 }, 1)]
    [InlineData(new[] { 10, 8, 5, 4, 3 }, 4)]
    [InlineData(new[] { 25, 8, 5, 3, 3 }, 3)]
    [InlineData(new[] { 3, 25, 5, 3, 8 }, 3)]
    [InlineData(new[] { 100 }, 1)]
    [InlineData(new[] { 5, 5, 5, 5, 5 }, 5)]
    public void HIndex_IsLargestHWithHPapersOfAtLeastHCitations(int[] citations, int expected)
    {
        var h = ProfileAggregator.HIndex(citations);

        Assert.Equal(expected, h);
    }

    [Fact]
    public void RoundedMean_IsNull_ForNoValues()
    {
        var mean = ProfileAggregator.RoundedMean([]);

        Assert.Null(mean);
    }

    [Theory]
    [InlineData(new[] { 52.5 }, 53)]
    [InlineData(new[] { 2.5 }, 3)]
    [InlineData(new[] { 52.4 }, 52)]
    [InlineData(new[] { 50.0, 55.0 }, 53)]
    [InlineData(new[] { 71.5, 44.9, 31.4, 64.1 }, 53)]
    public void RoundedMean_RoundsHalfAwayFromZero(double[] values, int expected)
    {
        var mean = ProfileAggregator.RoundedMean(values);

        Assert.Equal(expected, mean);
    }

    [Theory]
    [InlineData(new[] { 70.1, 71.3, 52.1 }, 65)]
    [InlineData(new[] { 71.8, 76.6, 43.2, 38.4 }, 58)]
    public void RoundedMean_RoundsExactHalfUp_WhenBinarySumFallsJustBelowIt(double[] values, int expected)
    {
        // One-decimal scores whose exact mean is x.5 (193.5 / 3 = 64.5; 230.0 / 4 = 57.5).
        var mean = ProfileAggregator.RoundedMean(values);

        Assert.Equal(expected, mean);
    }

    [Fact]
    public void Compute_GivesDesignExampleNovelty_FromItsFourScores()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, novelty: 71.5),
            Paper("p2", 2026, 4, novelty: 44.9),
            Paper("p3", 2026, 3, novelty: 31.4),
            Paper("p4", 2026, 2, novelty: 64.1),
            Paper("p5", 2025, 1),
            Paper("p6", 2024, 1),
            Paper("p7", 2023, 3),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(53, figures.Novelty);
        Assert.Equal(4, figures.ScoredPaperCount);
        Assert.Equal(7, figures.PaperCount);
    }

    [Fact]
    public void Compute_IgnoresNullScoresInMeans()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, novelty: 80, aiScore: 40),
            Paper("p2", 2026, 4),
            Paper("p3", 2026, 3, novelty: 60),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(70, figures.Novelty);
        Assert.Equal(40, figures.AiScore);
        Assert.Equal(2, figures.ScoredPaperCount);
        Assert.Equal(1, figures.AiScoredPaperCount);
    }

    [Fact]
    public void Compute_LeavesMeansNull_WhenNothingIsScored()
    {
        var figures = ProfileAggregator.Compute(Self, [Paper("p1", 2026, 5)]);

        Assert.Null(figures.Novelty);
        Assert.Null(figures.AiScore);
        Assert.Equal(0, figures.ScoredPaperCount);
    }

    [Fact]
    public void Compute_SumsCitations_CountingMissingAsZero()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, citations: 10),
            Paper("p2", 2026, 4, citations: 3),
            Paper("p3", 2026, 3),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(13, figures.CitationCount);
    }

    [Fact]
    public void Compute_CountsI10Papers()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, citations: 10),
            Paper("p2", 2026, 4, citations: 9),
            Paper("p3", 2026, 3, citations: 120),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(2, figures.I10Index);
    }

    [Fact]
    public void Compute_GivesHIndexOfPapers()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, citations: 10),
            Paper("p2", 2026, 4, citations: 8),
            Paper("p3", 2026, 3, citations: 5),
            Paper("p4", 2026, 2, citations: 4),
            Paper("p5", 2026, 1, citations: 3),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(4, figures.HIndex);
    }

    [Fact]
    public void Compute_CountsPaperListedTwiceOnce()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, citations: 10, novelty: 90),
            Paper("p1", 2026, 5, citations: 10, novelty: 90),
            Paper("p2", 2026, 4, citations: 2, novelty: 10),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(2, figures.PaperCount);
        Assert.Equal(12, figures.CitationCount);
        Assert.Equal(50, figures.Novelty);
        Assert.Equal(2, figures.ScoredPaperCount);
    }

    [Fact]
    public void Compute_GivesFirstAndLastPublished_WhateverTheOrder()
    {
        AuthorPaper[] papers =
        [
            Paper("p2", 2024, 6),
            Paper("p1", 2026, 5),
            Paper("p3", 2023, 3),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(new DateOnly(2023, 3, 1), figures.FirstPublished);
        Assert.Equal(new DateOnly(2026, 5, 1), figures.LastPublished);
    }

    [Fact]
    public void Compute_GivesEmptyFigures_ForNoPapers()
    {
        var figures = ProfileAggregator.Compute(Self, []);

        Assert.Equal(0, figures.PaperCount);
        Assert.Equal(0, figures.HIndex);
        Assert.Null(figures.PrimaryCategory);
        Assert.Null(figures.FirstPublished);
        Assert.Empty(figures.CoAuthors);
    }

    [Fact]
    public void Compute_PrimaryCategoryIsMostFrequentFirstCategory()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, category: "cs.CL"),
            Paper("p2", 2026, 4, category: "cs.LG"),
            Paper("p3", 2026, 3, category: "cs.LG"),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal("cs.LG", figures.PrimaryCategory);
    }

    [Fact]
    public void Compute_PrimaryCategoryTieGoesToNewestPaper()
    {
        AuthorPaper[] papers =
        [
            Paper("p3", 2024, 3, category: "cs.LG"),
            Paper("p1", 2026, 5, category: "cs.CL"),
            Paper("p2", 2025, 4, category: "cs.LG"),
            Paper("p4", 2023, 3, category: "cs.CL"),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal("cs.CL", figures.PrimaryCategory);
    }

    [Fact]
    public void Compute_PrimaryCategoryCountsDuplicatePaperOnce()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, category: "cs.CL"),
            Paper("p2", 2025, 4, category: "cs.LG"),
            Paper("p2", 2025, 4, category: "cs.LG"),
            Paper("p3", 2024, 3, category: "cs.LG"),
            Paper("p4", 2023, 3, category: "cs.CL"),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal("cs.CL", figures.PrimaryCategory);
    }

    [Fact]
    public void PrimaryCategory_IgnoresPapersWithoutCategory()
    {
        AuthorPaper[] newestFirst =
        [
            Paper("p1", 2026, 5, category: null),
            Paper("p2", 2026, 4, category: ""),
            Paper("p3", 2026, 3, category: "math.CO"),
        ];

        var category = ProfileAggregator.PrimaryCategory(newestFirst);

        Assert.Equal("math.CO", category);
    }

    [Fact]
    public void Compute_CoAuthorsExcludeSelf_AndCountSharedPapers()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, authors: ["Boyu Shi", "Chang Liu", "Li Na"]),
            Paper("p2", 2026, 4, authors: ["Chang Liu", "Boyu Shi"]),
            Paper("p3", 2026, 3, authors: ["Boyu Shi", "Chang Liu"]),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(
            [new CoAuthorView("chang-liu", "Chang Liu", 3), new CoAuthorView("li-na", "Li Na", 1)],
            figures.CoAuthors);
    }

    [Fact]
    public void Compute_CoAuthorsExcludeSelf_WrittenAnotherWay()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, authors: ["Shi, Boyu", "Chang Liu"]),
            Paper("p2", 2026, 4, authors: ["BOYU SHI", "Chang Liu"]),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal("chang-liu", Assert.Single(figures.CoAuthors).Id);
    }

    [Fact]
    public void Compute_CoAuthorsCountPaperListedTwiceOnce()
    {
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, authors: ["Boyu Shi", "Chang Liu"]),
            Paper("p1", 2026, 5, authors: ["Boyu Shi", "Chang Liu"]),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(1, Assert.Single(figures.CoAuthors).Papers);
    }

    [Fact]
    public void Compute_ListsAtMostTopCoAuthors_MostSharedFirst()
    {
        var many = Enumerable.Range(0, 15).Select(i => $"Co Author{(char)('a' + i)}").ToArray();
        AuthorPaper[] papers =
        [
            Paper("p1", 2026, 5, authors: ["Boyu Shi", .. many]),
            Paper("p2", 2026, 4, authors: ["Boyu Shi", "Co Authoro"]),
        ];

        var figures = ProfileAggregator.Compute(Self, papers);

        Assert.Equal(ProfileAggregator.TopCoAuthors, figures.CoAuthors.Count);
        Assert.Equal("co-authoro", figures.CoAuthors[0].Id);
        Assert.Equal(2, figures.CoAuthors[0].Papers);
    }

    private static AuthorPaper Paper(
        string id,
        int year,
        int month,
        int? citations = null,
        double? novelty = null,
        double? aiScore = null,
        string? category = "cs.LG",
        string[]? authors = null)
    {
        authors ??= ["Boyu Shi"];
        return new AuthorPaper
        {
            Id = id,
            Title = "Paper " + id,
            Authors = authors,
            AuthorCount = authors.Length,
            Category = category,
            Published = new DateOnly(year, month, 1),
            Citations = citations,
            Novelty = novelty,
            AiScore = aiScore,
            AuthorName = "Boyu Shi",
        };
    }
}

using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;

namespace ScholarFx.Tests.Unit.Papers;

public sealed class PaperMergerTests
{
    private const string JsonSource = "scholarfx-json";
    private const string OtherSource = "arxiv-atom";

    private readonly FixedClock clock = new();
    private readonly PaperMerger merger;

    public PaperMergerTests()
    {
        merger = new PaperMerger(clock);
    }

    [Fact]
    public void Create_UsesMostPreferredAliasAsId()
    {
        var record = Record() with { Doi = "10.1000/XYZ", ArxivId = "2303.11698v2" };

        var paper = merger.Create(record);

        Assert.Equal("arxiv:2303.11698", paper.Id);
    }

    [Fact]
    public void Create_KeepsEveryAliasInRankOrder()
    {
        var record = Record() with { Doi = "10.1000/XYZ", ArxivId = "2303.11698v2" };

        var paper = merger.Create(record);

        Assert.Equal(3, paper.Aliases.Count);
        Assert.Equal("arxiv:2303.11698", paper.Aliases[0]);
        Assert.Equal("doi:10.1000/xyz", paper.Aliases[1]);
        Assert.StartsWith("title:", paper.Aliases[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UsesTitleKey_WhenRecordHasNoId()
    {
        var record = Record();

        var paper = merger.Create(record);

        Assert.Equal(PaperIdentity.TitleKey("Deep Nets", 2024, "Boyu Shi"), paper.Id);
    }

    [Fact]
    public void Create_TrimsTextAndCopiesMetadata()
    {
        var record = Record() with { Title = "  Deep Nets  ", Abstract = " We study deep nets. " };

        var paper = merger.Create(record);

        Assert.Equal("Deep Nets", paper.Title);
        Assert.Equal("We study deep nets.", paper.Abstract);
        Assert.Equal(new DateOnly(2024, 3, 1), paper.Published);
        Assert.Equal(["cs.LG", "stat.ML"], paper.Categories);
        Assert.Equal([JsonSource], paper.Sources);
        Assert.Equal(PaperIdentity.ContentHash("Deep Nets", "We study deep nets."), paper.ContentHash);
    }

    [Fact]
    public void Create_StampsCitationsWithSourceAndTime()
    {
        var record = Record() with { Citations = 7 };

        var paper = merger.Create(record);

        Assert.Equal(7, paper.Citations);
        Assert.Equal(FixedClock.Default, paper.CitationsAsOf);
        Assert.Equal(JsonSource, paper.CitationsSource);
    }

    [Fact]
    public void Create_LeavesCitationStampEmpty_WhenRecordHasNoCitations()
    {
        var paper = merger.Create(Record());

        Assert.Null(paper.Citations);
        Assert.Null(paper.CitationsAsOf);
        Assert.Null(paper.CitationsSource);
    }

    [Fact]
    public void Create_LeavesPaperNotScored()
    {
        var paper = merger.Create(Record());

        Assert.Same(PaperScores.NotScored, paper.Scores);
    }

    [Fact]
    public void Merge_Retracts_KeepsTheRetractionUntilASourceReinstates_AndDiffersSeesIt()
    {
        var stored = merger.Create(Record());
        Assert.False(stored.Retracted);

        var retracted = merger.Merge(stored, Record() with { Retracted = true });
        Assert.True(retracted.Retracted);
        Assert.Equal(clock.GetUtcNow(), retracted.RetractedAt);
        Assert.True(PaperMerger.Differs(stored, retracted));

        var silent = merger.Merge(retracted, Record() with { Citations = 9 });
        Assert.True(silent.Retracted);

        var reinstated = merger.Merge(silent, Record() with { Retracted = false });
        Assert.False(reinstated.Retracted);
        Assert.Null(reinstated.RetractedAt);
    }

    [Fact]
    public void Merge_ReplacesMetadata_WhenRecordIsCorrectionFromSameSource()
    {
        var stored = merger.Create(Record());
        var correction = Record() with
        {
            Title = "Deeper Nets",
            Abstract = "We study deeper nets.",
            Authors = [new PaperAuthor("Chang Liu")],
            Categories = ["cs.CL"],
        };

        var merged = merger.Merge(stored, correction);

        Assert.Equal("Deeper Nets", merged.Title);
        Assert.Equal("We study deeper nets.", merged.Abstract);
        Assert.Equal(["Chang Liu"], merged.Authors.Select(a => a.Name));
        Assert.Equal(["cs.CL"], merged.Categories);
        Assert.Equal(stored.Id, merged.Id);
    }

    [Fact]
    public void Merge_KeepsStoredMetadata_WhenRecordComesFromAnotherSource()
    {
        var stored = merger.Create(Record());
        var other = Record(OtherSource) with
        {
            Title = "Deep Networks",
            Abstract = "Another abstract.",
            Authors = [new PaperAuthor("Chang Liu")],
            Categories = ["cs.CL"],
        };

        var merged = merger.Merge(stored, other);

        Assert.Equal("Deep Nets", merged.Title);
        Assert.Equal("We study deep nets.", merged.Abstract);
        Assert.Equal(["Boyu Shi", "Chang Liu"], merged.Authors.Select(a => a.Name));
        Assert.Equal(["cs.LG", "stat.ML"], merged.Categories);
    }

    [Fact]
    public void Merge_FillsCategories_WhenStoredPaperHasNone()
    {
        var stored = merger.Create(Record() with { Categories = [] });
        var other = Record(OtherSource) with { Categories = ["cs.CL"] };

        var merged = merger.Merge(stored, other);

        Assert.Equal(["cs.CL"], merged.Categories);
    }

    [Fact]
    public void Merge_FillsMissingOrcids_FromAnotherSource()
    {
        var stored = merger.Create(Record());
        var other = Record(OtherSource) with { Authors = [new PaperAuthor("Shi, Boyu", "0000-0002-1825-0097")] };

        var merged = merger.Merge(stored, other);

        Assert.Equal("0000-0002-1825-0097", merged.Authors[0].Orcid);
        Assert.Null(merged.Authors[1].Orcid);
        Assert.Equal("Boyu Shi", merged.Authors[0].Name);
    }

    [Fact]
    public void Merge_FillsMissingAffiliations_FromAnotherSource_AndTheChangeIsSeen()
    {
        var stored = merger.Create(Record());
        var other = Record(OtherSource) with { Authors = [new PaperAuthor("Shi, Boyu", null, ["Tsinghua University"])] };

        var merged = merger.Merge(stored, other);

        Assert.Equal(["Tsinghua University"], merged.Authors[0].Institutions);
        Assert.Empty(merged.Authors[1].Institutions);
        Assert.True(PaperMerger.Differs(stored, merged));
        // Equal lists in new list objects are the same author: a re-read of the merge changes nothing.
        Assert.False(PaperMerger.Differs(merged, merged with { Authors = [.. merged.Authors.Select(a => a with { Affiliations = a.Affiliations?.ToList() })] }));
    }

    [Fact]
    public void Merge_TakesPerYearCitations_WithTheTotalTheyCameWith_NeverFromTwoSources()
    {
        var stored = merger.Create(Record() with { Citations = 9, CitationsByYear = [new YearCount(2024, 9)] });
        Assert.Equal([new YearCount(2024, 9)], stored.CitationsByYear);

        // Another source's total without per-year counts replaces both: the old years belonged to the old total.
        var merged = merger.Merge(stored, Record(OtherSource) with { Citations = 12 });
        Assert.Equal(12, merged.Citations);
        Assert.Empty(merged.CitationsByYear);

        // A record without a total leaves both as they were.
        Assert.Equal([new YearCount(2024, 9)], merger.Merge(stored, Record(OtherSource)).CitationsByYear);
    }

    [Fact]
    public void Merge_KeepsEarliestPublicationDate()
    {
        var stored = merger.Create(Record());
        var earlier = Record(OtherSource) with { Published = new DateOnly(2023, 12, 30) };

        var merged = merger.Merge(stored, earlier);

        Assert.Equal(new DateOnly(2023, 12, 30), merged.Published);
    }

    [Fact]
    public void Merge_KeepsStoredDate_WhenRecordDateIsLater()
    {
        var stored = merger.Create(Record());
        var later = Record(OtherSource) with { Published = new DateOnly(2024, 6, 1) };

        var merged = merger.Merge(stored, later);

        Assert.Equal(new DateOnly(2024, 3, 1), merged.Published);
    }

    [Fact]
    public void Merge_TakesNewestCitationCount_WithItsSourceAndTime()
    {
        var stored = merger.Create(Record() with { Citations = 40 });
        clock.Now = FixedClock.Default.AddDays(3);
        var newer = Record(OtherSource) with { Citations = 13 };

        var merged = merger.Merge(stored, newer);

        Assert.Equal(13, merged.Citations);
        Assert.Equal(FixedClock.Default.AddDays(3), merged.CitationsAsOf);
        Assert.Equal(OtherSource, merged.CitationsSource);
    }

    [Fact]
    public void Merge_KeepsStoredCitations_WhenRecordHasNone()
    {
        var stored = merger.Create(Record() with { Citations = 40 });
        clock.Now = FixedClock.Default.AddDays(3);

        var merged = merger.Merge(stored, Record(OtherSource));

        Assert.Equal(40, merged.Citations);
        Assert.Equal(FixedClock.Default, merged.CitationsAsOf);
        Assert.Equal(JsonSource, merged.CitationsSource);
    }

    [Fact]
    public void Merge_UnitesAliasesInRankOrder_AndAddsSource()
    {
        var stored = merger.Create(Record() with { Doi = "10.1000/xyz" });
        var other = Record(OtherSource) with { ArxivId = "2303.11698v1" };

        var merged = merger.Merge(stored, other);

        Assert.Equal("doi:10.1000/xyz", merged.Id);
        Assert.Equal("arxiv:2303.11698", merged.Aliases[0]);
        Assert.Equal("doi:10.1000/xyz", merged.Aliases[1]);
        Assert.Equal(merged.Aliases.Count, merged.Aliases.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal([JsonSource, OtherSource], merged.Sources);
    }

    [Fact]
    public void Merge_ResetsScores_WhenContentHashChanges()
    {
        var stored = merger.Create(Record()) with { Scores = Scored() };
        var correction = Record() with { Abstract = "We study something else entirely." };

        var merged = merger.Merge(stored, correction);

        Assert.NotEqual(stored.ContentHash, merged.ContentHash);
        Assert.Same(PaperScores.NotScored, merged.Scores);
    }

    [Fact]
    public void Merge_KeepsScores_WhenContentHashIsUnchanged()
    {
        var scores = Scored();
        var stored = merger.Create(Record()) with { Scores = scores };
        var sameText = Record() with { Title = "DEEP NETS", Citations = 3 };

        var merged = merger.Merge(stored, sameText);

        Assert.Equal(stored.ContentHash, merged.ContentHash);
        Assert.Same(scores, merged.Scores);
    }

    [Fact]
    public void Differs_IsFalse_ForMergeOfIdenticalRecord()
    {
        var stored = merger.Create(Record());

        var merged = merger.Merge(stored, Record());

        Assert.False(PaperMerger.Differs(stored, merged));
    }

    [Fact]
    public void Differs_IsTrue_WhenCitationsChange()
    {
        var stored = merger.Create(Record());

        var merged = merger.Merge(stored, Record() with { Citations = 5 });

        Assert.True(PaperMerger.Differs(stored, merged));
    }

    [Fact]
    public void Combine_LetsLaterValuesWin()
    {
        var first = Record() with { Title = "First", Citations = 1 };
        var later = Record() with { Title = "Later", Citations = 9 };

        var combined = PaperMerger.Combine(first, later);

        Assert.Equal("Later", combined.Title);
        Assert.Equal(9, combined.Citations);
    }

    [Fact]
    public void Combine_FillsGapsFromFirst()
    {
        var first = Record() with { Doi = "10.1000/xyz", Citations = 4, Categories = ["cs.CL"] };
        var later = new SourceRecord { Source = JsonSource, Location = "line 2", ArxivId = "2303.11698" };

        var combined = PaperMerger.Combine(first, later);

        Assert.Equal("Deep Nets", combined.Title);
        Assert.Equal("We study deep nets.", combined.Abstract);
        Assert.Equal(["Boyu Shi", "Chang Liu"], combined.Authors.Select(a => a.Name));
        Assert.Equal(["cs.CL"], combined.Categories);
        Assert.Equal(4, combined.Citations);
        Assert.Equal("10.1000/xyz", combined.Doi);
        Assert.Equal("2303.11698", combined.ArxivId);
        Assert.Equal(new DateOnly(2024, 3, 1), combined.Published);
    }

    [Fact]
    public void Combine_KeepsEarliestDate()
    {
        var first = Record() with { Published = new DateOnly(2024, 1, 5) };
        var later = Record() with { Published = new DateOnly(2024, 2, 5) };

        var combined = PaperMerger.Combine(first, later);

        Assert.Equal(new DateOnly(2024, 1, 5), combined.Published);
    }

    private static SourceRecord Record(string source = JsonSource) => new()
    {
        Source = source,
        Location = "line 1",
        Title = "Deep Nets",
        Abstract = "We study deep nets.",
        Authors = [new PaperAuthor("Boyu Shi"), new PaperAuthor("Chang Liu")],
        Categories = ["cs.LG", "stat.ML"],
        Published = new DateOnly(2024, 3, 1),
    };

    private static PaperScores Scored() =>
        new(new Score(71.5, null, "all-MiniLM-L6-v2", "1"), new Score(64.0, null, "local-rubric", "1"));
}

using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;

namespace ScholarFx.Tests.Unit.Papers;

public sealed class PaperMergerTests
{
    private const string JsonSource = "scholarfx-json";
    private const string OtherSource = "arxiv-atom";
    private const string LabA = "lab-a";
    private const string LabB = "lab-b";
    private const string Harvester = "harvest/openalex";
    private const string Curator = "curation";
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly FixedClock clock = new();
    private readonly PaperMerger merger;

    public PaperMergerTests()
    {
        merger = NewMerger(clock);
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
        // The count's date is a fact of the input: when its file was stored.
        Assert.Equal(T0, paper.CitationsAsOf);
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
    public void Merge_Retracts_FromATrustedSource_KeepsTheRetractionUntilOneReinstates_AndDiffersSeesIt()
    {
        var stored = merger.Create(Record());
        Assert.False(stored.Retracted);

        var retracted = merger.Merge(stored, Record(uploader: Harvester, stored: T0.AddDays(1)) with { Retracted = true });
        Assert.True(retracted.Retracted);
        Assert.Equal(T0.AddDays(1), retracted.RetractedAt);
        Assert.True(PaperMerger.Differs(stored, retracted));

        // An uploader's word does not reinstate it.
        var silent = merger.Merge(retracted, Record(stored: T0.AddDays(2)) with { Citations = 9, Retracted = false });
        Assert.True(silent.Retracted);

        var reinstated = merger.Merge(silent, Record(uploader: Harvester, stored: T0.AddDays(3)) with { Retracted = false });
        Assert.False(reinstated.Retracted);
        Assert.Null(reinstated.RetractedAt);
    }

    [Fact]
    public void Merge_AnUploaderCannotRetract_NotEvenItsOwnPaper_TheClaimIsShownAsAConflict()
    {
        var stored = merger.Create(Record());

        var byOther = merger.Merge(stored, Record(uploader: LabB, stored: T0.AddDays(1)) with { Retracted = true });
        var byOwner = merger.Merge(byOther, Record(stored: T0.AddDays(2)) with { Retracted = true });

        Assert.False(byOther.Retracted);
        Assert.False(byOwner.Retracted);
        Assert.Equal([("retracted", "true", LabA), ("retracted", "true", LabB)], byOwner.Conflicts.Select(c => (c.Field, c.Value, c.Uploader)).Order());
    }

    [Fact]
    public void Merge_ReplacesMetadata_WhenRecordIsCorrectionFromSameSource()
    {
        var stored = merger.Create(Record());
        var correction = Record(stored: T0.AddDays(1)) with
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
    public void Merge_AnOlderRecordOfTheSameSource_ReadLate_DoesNotUndoTheCorrection()
    {
        var correction = merger.Create(Record(stored: T0.AddDays(1)) with { Title = "Deeper Nets" });

        var merged = merger.Merge(correction, Record());

        Assert.Equal("Deeper Nets", merged.Title);
        Assert.Equal(T0.AddDays(1), Assert.Single(merged.Claims).Stored);
        // The source delivered the paper first with the older file.
        Assert.Equal(T0, merged.Claims[0].FirstDelivered);
    }

    [Fact]
    public void Merge_AnotherUploader_CannotReplaceMetadata_ItsValuesAreConflicts()
    {
        var stored = merger.Create(Record());
        var other = Record(OtherSource, LabB, T0.AddDays(1)) with
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
        Assert.Equal(
            [("abstract", "Another abstract."), ("authors", "Chang Liu"), ("categories", "cs.CL"), ("title", "Deep Networks")],
            merged.Conflicts.Select(c => (c.Field, c.Value)).Order());
        Assert.All(merged.Conflicts, c => Assert.Equal((LabB, OtherSource, LabA), (c.Uploader, c.Format, c.TakenFrom)));
    }

    [Fact]
    public void Merge_TheUploaderThatDeliveredFirstWins_WhicheverIsReadFirst()
    {
        var a = Record(uploader: LabA, stored: T0) with { Title = "Title by A", Citations = 5 };
        var b = Record(uploader: LabB, stored: T0.AddHours(1)) with { Title = "Title by B", Published = new DateOnly(2020, 1, 1), Citations = 500 };

        var aFirst = merger.Merge(merger.Create(a), b);
        var bFirst = merger.Merge(merger.Create(b), a);

        Assert.Equal(("Title by A", new DateOnly(2024, 3, 1), (int?)5), (aFirst.Title, aFirst.Published, aFirst.Citations));
        Assert.Equal(Rendered(aFirst), Rendered(bFirst));
    }

    [Fact]
    public void Merge_IsAFunctionOfTheSetOfRecords_NotOfTheirOrder()
    {
        SourceRecord[] records =
        [
            Record(uploader: LabA, stored: T0) with { Citations = 3 },
            Record(uploader: LabA, stored: T0.AddDays(2)) with { Title = "Deep Nets, corrected" },
            Record(OtherSource, LabA, T0.AddDays(1)) with { Published = new DateOnly(2024, 2, 1), Authors = [new PaperAuthor("Boyu Shi", "0000-0002-1825-0097")] },
            Record(uploader: LabB, stored: T0.AddDays(1)) with { Title = "Deep Nets by B", Citations = 90, Retracted = true },
            Record(uploader: Harvester, stored: T0.AddDays(3)) with { Title = "Deep Nets: harvested", Published = new DateOnly(2024, 2, 20), Citations = 11 },
            Record(uploader: Harvester, stored: T0.AddDays(4)) with { Title = "Deep Nets: harvested", Published = new DateOnly(2024, 2, 20), Citations = 12, Retracted = false },
        ];

        var results = Permutations(records).Select(order => Rendered(order.Skip(1).Aggregate(merger.Create(order[0]), merger.Merge))).ToList();

        Assert.All(results, r => Assert.Equal(results[0], r));
        var paper = records.Skip(1).Aggregate(merger.Create(records[0]), merger.Merge);
        Assert.Equal("Deep Nets: harvested", paper.Title);
        Assert.Equal(new DateOnly(2024, 2, 20), paper.Published);
        Assert.Contains(paper.Conflicts, c => (c.Field, c.Value, c.Uploader) == ("title", "Deep Nets, corrected", LabA));
        Assert.Equal((12, T0.AddDays(4)), (paper.Citations, paper.CitationsAsOf));
        Assert.False(paper.Retracted);
        Assert.Equal("0000-0002-1825-0097", paper.Authors[0].Orcid);
        Assert.Equal([LabA, LabB], paper.Claims.Where(c => c.Uploader != Harvester).Select(c => c.Uploader).Distinct());
    }

    [Fact]
    public void Merge_CuratorsRankAboveTrustedSources_WhichRankAboveUploaders()
    {
        var stored = merger.Create(Record() with { Title = "By the lab" });
        var trusted = merger.Merge(stored, Record(uploader: Harvester, stored: T0.AddDays(1)) with { Title = "By the harvester" });
        var curated = merger.Merge(trusted, Record(uploader: Curator, stored: T0.AddDays(2)) with { Title = "By the curator", Abstract = null });

        Assert.Equal("By the harvester", trusted.Title);
        Assert.Equal("By the curator", curated.Title);
        // What the curator lacks is filled from the next source down.
        Assert.Equal("We study deep nets.", curated.Abstract);
    }

    [Fact]
    public void Merge_CitationsFromTheTrustedSourceWithTheNewestCountDate()
    {
        var stored = merger.Create(Record() with { Citations = 4 });
        var inflated = merger.Merge(stored, Record(uploader: LabB, stored: T0.AddDays(1)) with { Citations = 400 });
        var ownUpdate = merger.Merge(inflated, Record(stored: T0.AddDays(2)) with { Citations = 5 });
        var harvested = merger.Merge(ownUpdate, Record(uploader: Harvester, stored: T0.AddDays(5)) with { Citations = 9 });
        var olderHarvest = merger.Merge(harvested, Record("openalex", Harvester, T0.AddDays(3)) with { Citations = 30 });

        Assert.Equal(4, inflated.Citations);
        Assert.Contains(inflated.Conflicts, c => (c.Field, c.Value, c.Uploader) == ("citations", "400", LabB));
        Assert.Equal(5, ownUpdate.Citations);
        Assert.Equal((9, T0.AddDays(5), JsonSource), (harvested.Citations, harvested.CitationsAsOf, harvested.CitationsSource));
        Assert.Equal(9, olderHarvest.Citations);
    }

    [Fact]
    public void Merge_APaperStoredBeforeSourcesWereKept_IsOneTrustedSourceThatDeliveredFirst()
    {
        var legacy = merger.Create(Record() with { Citations = 6, Retracted = true }) with { Claims = [], Retracted = true, RetractedAt = T0 };

        var merged = merger.Merge(legacy, Record(uploader: LabB, stored: T0.AddDays(1)) with { Title = "Renamed", Citations = 60, Retracted = false });

        Assert.Equal(("Deep Nets", 6, true), (merged.Title, merged.Citations, merged.Retracted));
        Assert.Equal([SourcePrecedence.StoredBefore, LabB], merged.Claims.Select(c => c.Uploader));
    }

    [Fact]
    public void Merge_SameUploaderInAnotherFormat_FillsWhatItsFirstFormatLacks()
    {
        var stored = merger.Create(Record() with { Categories = [] });
        var other = Record(OtherSource, stored: T0.AddMinutes(1)) with { Title = "Deep Networks", Categories = ["cs.CL"], Citations = 3 };

        var merged = merger.Merge(stored, other);

        Assert.Equal(("Deep Nets", 3), (merged.Title, merged.Citations));
        Assert.Equal(["cs.CL"], merged.Categories);
        Assert.Equal([JsonSource, OtherSource], merged.Sources);
    }

    [Fact]
    public void Merge_FillsCategories_WhenStoredPaperHasNone()
    {
        var stored = merger.Create(Record() with { Categories = [] });
        var other = Record(OtherSource, LabB, T0.AddDays(1)) with { Categories = ["cs.CL"] };

        var merged = merger.Merge(stored, other);

        Assert.Equal(["cs.CL"], merged.Categories);
    }

    [Fact]
    public void Merge_FillsMissingOrcids_FromAnotherSource()
    {
        var stored = merger.Create(Record());
        var other = Record(OtherSource, LabB, T0.AddDays(1)) with { Authors = [new PaperAuthor("Shi, Boyu", "0000-0002-1825-0097")] };

        var merged = merger.Merge(stored, other);

        Assert.Equal("0000-0002-1825-0097", merged.Authors[0].Orcid);
        Assert.Null(merged.Authors[1].Orcid);
        Assert.Equal("Boyu Shi", merged.Authors[0].Name);
    }

    [Fact]
    public void Merge_FillsMissingAffiliations_FromAnotherSource_AndTheChangeIsSeen()
    {
        var stored = merger.Create(Record());
        var other = Record(OtherSource, LabB, T0.AddDays(1)) with { Authors = [new PaperAuthor("Shi, Boyu", null, ["Tsinghua University"])] };

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

        // A newer total without per-year counts replaces both: the old years belonged to the old total.
        var merged = merger.Merge(stored, Record(OtherSource, stored: T0.AddDays(1)) with { Citations = 12 });
        Assert.Equal(12, merged.Citations);
        Assert.Empty(merged.CitationsByYear);

        // A record without a total leaves both as they were.
        Assert.Equal([new YearCount(2024, 9)], merger.Merge(stored, Record(OtherSource, stored: T0.AddDays(1))).CitationsByYear);
    }

    [Fact]
    public void Merge_KeepsTheEarliestDateOfTheFirstUploader_InAnyOfItsFormats_AnotherUploadersEarlierDateLoses()
    {
        var stored = merger.Create(Record());
        var earlier = Record(OtherSource, stored: T0.AddDays(1)) with { Published = new DateOnly(2023, 12, 30) };
        var others = Record(OtherSource, LabB, T0.AddDays(1)) with { Published = new DateOnly(2023, 1, 1) };

        var merged = merger.Merge(merger.Merge(stored, earlier), others);

        Assert.Equal(new DateOnly(2023, 12, 30), merged.Published);
        Assert.Contains(merged.Conflicts, c => (c.Field, c.Value, c.Uploader) == ("published", "2023-01-01", LabB));
    }

    [Fact]
    public void Merge_KeepsStoredDate_WhenRecordDateIsLater()
    {
        var stored = merger.Create(Record());
        var later = Record(OtherSource, LabB, T0.AddDays(1)) with { Published = new DateOnly(2024, 6, 1) };

        var merged = merger.Merge(stored, later);

        Assert.Equal(new DateOnly(2024, 3, 1), merged.Published);
    }

    [Fact]
    public void Merge_TakesTheUploadersNewerCount_WithItsFormatAndDate()
    {
        var stored = merger.Create(Record() with { Citations = 40 });
        var newer = Record(OtherSource, stored: T0.AddDays(3)) with { Citations = 13 };

        var merged = merger.Merge(stored, newer);

        Assert.Equal(13, merged.Citations);
        Assert.Equal(T0.AddDays(3), merged.CitationsAsOf);
        Assert.Equal(OtherSource, merged.CitationsSource);
    }

    [Fact]
    public void Merge_KeepsStoredCitations_WhenRecordHasNone()
    {
        var stored = merger.Create(Record() with { Citations = 40 });

        var merged = merger.Merge(stored, Record(OtherSource, stored: T0.AddDays(3)));

        Assert.Equal(40, merged.Citations);
        Assert.Equal(T0, merged.CitationsAsOf);
        Assert.Equal(JsonSource, merged.CitationsSource);
    }

    [Fact]
    public void Merge_UnitesAliasesInRankOrder_AndAddsSource()
    {
        var stored = merger.Create(Record() with { Doi = "10.1000/xyz" });
        var other = Record(OtherSource, LabB, T0.AddDays(1)) with { ArxivId = "2303.11698v1" };

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
        var correction = Record(stored: T0.AddDays(1)) with { Abstract = "We study something else entirely." };

        var merged = merger.Merge(stored, correction);

        Assert.NotEqual(stored.ContentHash, merged.ContentHash);
        Assert.Same(PaperScores.NotScored, merged.Scores);
    }

    [Fact]
    public void Merge_KeepsScores_WhenContentHashIsUnchanged()
    {
        var scores = Scored();
        var stored = merger.Create(Record()) with { Scores = scores };
        var sameText = Record(stored: T0.AddDays(1)) with { Title = "DEEP NETS", Citations = 3 };

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

        var merged = merger.Merge(stored, Record(stored: T0.AddDays(1)) with { Citations = 5 });

        Assert.True(PaperMerger.Differs(stored, merged));
    }

    [Fact]
    public void ANewerCopyOfTheSameRecord_IsWritten_ButChangesNoFacts()
    {
        var stored = merger.Create(Record());

        var again = merger.Merge(stored, Record(stored: T0.AddDays(1)));

        Assert.True(PaperMerger.Differs(stored, again));
        Assert.False(PaperMerger.FactsDiffer(stored, again));
        Assert.Equal(T0.AddDays(1), Assert.Single(again.Claims).Stored);
        Assert.Equal(T0, again.Claims[0].FirstDelivered);
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

    private static SourceRecord Record(string source = JsonSource, string uploader = LabA, DateTimeOffset? stored = null) => new()
    {
        Source = source,
        Origin = new RecordOrigin(uploader, $"{uploader}/{(stored ?? T0).Ticks}.{source}", stored ?? T0, stored ?? T0, 1),
        Location = "line 1",
        Title = "Deep Nets",
        Abstract = "We study deep nets.",
        Authors = [new PaperAuthor("Boyu Shi"), new PaperAuthor("Chang Liu")],
        Categories = ["cs.LG", "stat.ML"],
        Published = new DateOnly(2024, 3, 1),
    };

    private static SourcesOptions Sources() => new() { Curators = Curator, Trusted = Harvester };

    internal static PaperMerger NewMerger(TimeProvider clock) => new(clock, new SourcePrecedence(Options.Create(Sources())));

    /// <summary>What a reader sees of a paper, as text to compare (lists by value).</summary>
    private static string Rendered(Paper p) => string.Join(
        " | ",
        p.Title, p.Abstract, string.Join(";", p.Authors.Select(a => a.Name + "/" + a.Orcid)), string.Join(",", p.Categories), p.Published,
        p.Citations, p.CitationsAsOf, p.CitationsSource, p.Retracted, p.RetractedAt, string.Join(",", p.Sources),
        string.Join(";", p.Conflicts.Select(c => c.ToString()).Order(StringComparer.Ordinal)), string.Join(";", p.Claims.Select(c => c.Uploader + "/" + c.Format + "@" + c.Stored)));

    private static IEnumerable<SourceRecord[]> Permutations(SourceRecord[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany((x, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (SourceRecord[])[x, .. rest]));

    private static PaperScores Scored() =>
        new(new Score(71.5, null, "all-MiniLM-L6-v2", "1"), new Score(64.0, null, "local-rubric", "1"));
}

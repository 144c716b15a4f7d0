using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Profiles;

public sealed class ProfileBuilderTests
{
    private readonly IAuthorStore store = Substitute.For<IAuthorStore>();
    private readonly IRankingStore rankings = Substitute.For<IRankingStore>();
    private readonly ICitationCohortSource cohorts = Substitute.For<ICitationCohortSource>();

    public ProfileBuilderTests()
    {
        cohorts.GetAsync(Arg.Any<CancellationToken>()).Returns(ScholarFx.Core.Scoring.View.CitationCohorts.Empty);
        // After a lost race the author's entries are set from the profile: read here as none standing.
        rankings.FindAsync(default!, default!, default!, default).ReturnsForAnyArgs(call => new RankFound(call.ArgAt<string>(1), [], new Dictionary<string, RankingPartition>()));
    }

    [Fact]
    public async Task AChange_IsAppliedToTheLedger_WithoutReadingThePartition_AndCommittedWithTheRows()
    {
        var ledger = new[] { Paper("p1", "2024-01-01", 5), Paper("p2", "2024-02-01", 1) };
        var existing = new StoredAggregate("ada", "Ada", "{}", "old", 2, "cs.LG", new Azure.ETag("\"1\"")) { Ledger = ledger };
        store.GetAggregateAsync("ada", Arg.Any<CancellationToken>()).Returns(existing);
        StoredAggregate? written = null;
        store.TryCommitAsync("ada", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), existing, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));
        var added = Paper("p3", "2024-03-01", 7);

        var changed = await Builder().ApplyAsync("ada", [new AuthorRowChange("ada", added, null)], CancellationToken.None);

        Assert.True(changed);
        await store.DidNotReceiveWithAnyArgs().ReadPapersAsync(default!, default);
        Assert.Equal(["p3", "p2", "p1"], written!.Ledger!.Select(p => p.Id));
        Assert.Equal(3, written.PaperCount);
        Assert.Contains("\"citationCount\":13", written.ProfileJson, StringComparison.Ordinal);
        Assert.Contains("\"hIndex\":2", written.ProfileJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuthorWithoutALedger_IsReadFromThePartitionOnce_AndGetsOne()
    {
        // An aggregate without a ledger: written before ledgers, or the first of a commit larger than one transaction.
        var existing = new StoredAggregate("bo", "Bo", "{}", "old", 1, "cs.LG", new Azure.ETag("\"1\""));
        store.GetAggregateAsync("bo", Arg.Any<CancellationToken>()).Returns(existing);
        var rows = new List<AuthorPaper> { Paper("p1", "2024-01-01", 2) };
        store.ReadPapersAsync("bo", Arg.Any<CancellationToken>()).Returns(rows);
        StoredAggregate? written = null;
        store.TryCommitAsync("bo", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), existing, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));

        await Builder().ApplyAsync("bo", [new AuthorRowChange("bo", Paper("p2", "2024-05-01", 3, author: "Bo"), null)], CancellationToken.None);

        await store.Received(1).ReadPapersAsync("bo", Arg.Any<CancellationToken>());
        Assert.Equal(["p2", "p1"], written!.Ledger!.Select(p => p.Id));
    }

    [Fact]
    public async Task ANewAuthor_IsNotReadFromThePartition()
    {
        // No aggregate row means no rows (the store never writes rows first): a partition query would find nothing.
        store.GetAggregateAsync("di", Arg.Any<CancellationToken>()).Returns((StoredAggregate?)null);
        StoredAggregate? written = null;
        store.TryCommitAsync("di", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), Arg.Is<StoredAggregate?>(x => x == null), Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));

        await Builder().ApplyAsync("di", [new AuthorRowChange("di", Paper("p1", "2024-05-01", 3, author: "Di"), null)], CancellationToken.None);

        await store.DidNotReceiveWithAnyArgs().ReadPapersAsync(default!, default);
        Assert.Equal(["p1"], written!.Ledger!.Select(p => p.Id));
    }

    [Fact]
    public async Task InAnAccountWithoutLegacyAggregates_ANewAuthorIsAddedWithoutARead_AndOneThatIsThereIsReadUnderItsOwnKeyOnly()
    {
        // No read: the commit adds the aggregate on condition that none exists.
        store.TryCommitAsync("fay", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Any<StoredAggregate?>(), Arg.Is<StoredAggregate?>(x => x == null), Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));

        await Builder().ApplyAsync("fay", [new AuthorRowChange("fay", Paper("p1", "2024-05-01", 3, author: "Fay"), null)], CancellationToken.None, legacyKey: false);

        await store.DidNotReceiveWithAnyArgs().GetAggregateAsync(default!, default, default);

        // The add fails (the author is there): read under its own key, then committed on the row's ETag with its ledger.
        var there = new StoredAggregate("gus", "Gus", "{}", "a", 1, "cs.LG", new Azure.ETag("\"1\"")) { Ledger = [Paper("p0", "2024-01-01", 1, author: "Gus")] };
        store.GetAggregateAsync("gus", Arg.Any<CancellationToken>(), false).Returns(there);
        store.TryCommitAsync("gus", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Any<StoredAggregate?>(), Arg.Is<StoredAggregate?>(x => x == null), Arg.Any<CancellationToken>()).Returns((Azure.ETag?)null);
        StoredAggregate? written = null;
        store.TryCommitAsync("gus", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), there, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));

        await Builder().ApplyAsync("gus", [new AuthorRowChange("gus", Paper("p1", "2024-05-01", 3, author: "Gus"), null)], CancellationToken.None, legacyKey: false);

        await store.Received(1).GetAggregateAsync("gus", Arg.Any<CancellationToken>(), false);
        await store.DidNotReceive().GetAggregateAsync("gus", Arg.Any<CancellationToken>(), true);
        Assert.Equal(["p1", "p0"], written!.Ledger!.Select(p => p.Id));
    }

    [Fact]
    public async Task AnAuthorThisProcessCommitted_IsCommittedAgainOnTheKeptETag_WithoutARead_AndReadWhenAnotherWriterOvertookIt()
    {
        var cache = new AggregateCache(Options.Create(new ProfileOptions()));
        var there = new StoredAggregate("hal", "Hal", "{}", "a", 1, "cs.LG", new Azure.ETag("\"1\"")) { Ledger = [Paper("p0", "2024-01-01", 1, author: "Hal")] };
        store.GetAggregateAsync("hal", Arg.Any<CancellationToken>(), Arg.Any<bool>()).Returns(there);
        store.TryCommitAsync("hal", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Any<StoredAggregate?>(), there, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));
        StoredAggregate? second = null;
        store.TryCommitAsync("hal", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => second = a), Arg.Is<StoredAggregate?>(x => x != null && x.ETag == new Azure.ETag("\"2\"")), Arg.Any<CancellationToken>())
            .Returns(new Azure.ETag("\"3\""));

        await Builder(cache: cache).ApplyAsync("hal", [new AuthorRowChange("hal", Paper("p1", "2024-05-01", 3, author: "Hal"), null)], CancellationToken.None);
        await Builder(cache: cache).ApplyAsync("hal", [new AuthorRowChange("hal", Paper("p2", "2024-06-01", 2, author: "Hal"), null)], CancellationToken.None);

        // One read for the first change; the second was written on the ETag the first commit returned, over its ledger.
        await store.Received(1).GetAggregateAsync("hal", Arg.Any<CancellationToken>(), Arg.Any<bool>());
        Assert.Equal(["p2", "p1", "p0"], second!.Ledger!.Select(p => p.Id));
        Assert.Equal(new Azure.ETag("\"3\""), cache.Get("hal")!.ETag);

        // Another writer moved the row on: the kept ETag fails the commit, which reads the row and goes again.
        var moved = there with { ETag = new Azure.ETag("\"9\""), Ledger = [Paper("p0", "2024-01-01", 1, author: "Hal"), Paper("p7", "2024-07-01", 1, author: "Hal")] };
        store.GetAggregateAsync("hal", Arg.Any<CancellationToken>(), Arg.Any<bool>()).Returns(moved);
        store.TryCommitAsync("hal", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Any<StoredAggregate?>(), Arg.Is<StoredAggregate?>(x => x != null && x.ETag == new Azure.ETag("\"3\"")), Arg.Any<CancellationToken>())
            .Returns((Azure.ETag?)null);
        StoredAggregate? third = null;
        store.TryCommitAsync("hal", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => third = a), moved, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"10\""));

        await Builder(cache: cache).ApplyAsync("hal", [new AuthorRowChange("hal", Paper("p3", "2024-08-01", 2, author: "Hal"), null)], CancellationToken.None);

        Assert.Equal(["p3", "p7", "p0"], third!.Ledger!.Select(p => p.Id));
    }

    [Fact]
    public async Task ALostRace_IsRetriedOnTheOtherWritersLedger()
    {
        var first = new StoredAggregate("cy", "Cy", "{}", "a", 1, null, new Azure.ETag("\"1\"")) { Ledger = [Paper("p1", "2024-01-01", 1, author: "Cy")] };
        var second = first with { ETag = new Azure.ETag("\"2\""), Ledger = [Paper("p1", "2024-01-01", 1, author: "Cy"), Paper("p9", "2024-06-01", 1, author: "Cy")] };
        store.GetAggregateAsync("cy", Arg.Any<CancellationToken>()).Returns(first, second);
        var commits = new List<StoredAggregate?>();
        store.TryCommitAsync("cy", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(commits.Add), Arg.Any<StoredAggregate?>(), Arg.Any<CancellationToken>())
            .Returns((Azure.ETag?)null, new Azure.ETag("\"3\""));

        await Builder().ApplyAsync("cy", [new AuthorRowChange("cy", Paper("p5", "2024-03-01", 1, author: "Cy"), null)], CancellationToken.None);

        Assert.Equal(["p9", "p5", "p1"], commits[^1]!.Ledger!.Select(p => p.Id));
    }

    [Fact]
    public async Task RetractedPapers_AreListedApart_AndCountInNoFigure_AndTheProfileCarriesItsCareer()
    {
        store.GetAggregateAsync("ada", Arg.Any<CancellationToken>()).Returns((StoredAggregate?)null);
        StoredAggregate? written = null;
        store.TryCommitAsync("ada", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), Arg.Any<StoredAggregate?>(), Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));
        var retracted = Paper("gone", "2025-02-01", 50) with { Retracted = true };
        var early = Paper("p1", "2019-01-01", 12) with { Affiliations = ["Old Lab"] };
        var late = Paper("p2", "2024-01-01", 3) with { Affiliations = ["New Institute"], AuthorName = "Ada B. Lovelace" };

        await Builder(new FixedClock()).ApplyAsync("ada", [.. new[] { retracted, early, late }.Select(p => new AuthorRowChange("ada", p, null))], CancellationToken.None);

        var profile = System.Text.Json.JsonDocument.Parse(written!.ProfileJson).RootElement;
        Assert.Equal(2, profile.GetProperty("paperCount").GetInt32());
        Assert.Equal(15, profile.GetProperty("citationCount").GetInt32());
        Assert.Equal(["p2", "p1"], profile.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var listedApart = Assert.Single(profile.GetProperty("retractedPapers").EnumerateArray());
        Assert.Equal("gone", listedApart.GetProperty("id").GetString());
        Assert.True(listedApart.GetProperty("retracted").GetBoolean());
        Assert.Equal(["New Institute", "Old Lab"], profile.GetProperty("affiliations").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([2019, 2024], profile.GetProperty("countsByYear").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
        // FixedClock reads 2026 and RecentYears is 5: since 2021, one paper, no per-year counts from any source.
        var recent = profile.GetProperty("recent");
        Assert.Equal(2021, recent.GetProperty("since").GetInt32());
        Assert.Equal("papersPublished", recent.GetProperty("basis").GetString());
        Assert.Equal(1, recent.GetProperty("paperCount").GetInt32());
        Assert.Equal(3, recent.GetProperty("citationCount").GetInt32());
        Assert.Contains("Ada B. Lovelace", profile.GetProperty("nameVariants").EnumerateArray().Select(n => n.GetString()));
        // Ranked by h-index and citations in its category and among all, each category in one move; no Novelty % or AI
        // score, so not by those.
        // A new author is listed from now (the fixed clock): ties go in listing order.
        var entry = new RankEntry("ada", "Ada B. Lovelace", 2, 2, "cs.LG", FixedClock.Default.ToUnixTimeMilliseconds());
        var byCitations = entry with { Value = 15 };
        foreach (var category in new[] { "all", "cs.LG" })
        {
            await rankings.Received(1).MoveManyAsync(
                category,
                Arg.Is<IReadOnlyList<RankMove>>(m => m.Count == 1 && m[0].Before.Count == 0 && m[0].After.Count == 2 && m[0].After["hIndex"] == entry && m[0].After["citations"] == byCitations),
                Arg.Any<CancellationToken>());
        }
    }

    [Fact]
    public async Task AProvisionalScore_IsShownInTheProfile_ButRankedOnlyOnceSettled_SoTheNoveltyAndAiRowsAreWrittenOnce()
    {
        store.GetAggregateAsync("eve", Arg.Any<CancellationToken>()).Returns((StoredAggregate?)null);
        StoredAggregate? first = null;
        store.TryCommitAsync("eve", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => first = a), Arg.Is<StoredAggregate?>(x => x == null), Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));
        var provisional = Paper("p1", "2024-05-01", 3, author: "Eve") with { Novelty = 71.4, AiScore = 40.2, Provisional = true };

        await Builder().ApplyAsync("eve", [new AuthorRowChange("eve", provisional, null)], CancellationToken.None);

        // The profile shows the provisional scores; the lists rank by h-index and citations only.
        Assert.Contains("\"novelty\":71", first!.ProfileJson, StringComparison.Ordinal);
        Assert.Equal(new RankedFigures(1, 3, null, null), first.Ranked! with { Since = 0 });
        foreach (var category in new[] { "all", "cs.LG" })
        {
            await rankings.Received(1).MoveManyAsync(category, Arg.Is<IReadOnlyList<RankMove>>(m => m.Count == 1 && m[0].Before.Count == 0 && m[0].After.Keys.Order().SequenceEqual(new[] { "citations", "hIndex" })), Arg.Any<CancellationToken>());
        }

        // Settled (a different value): the two rows are added, nothing is deleted, and h-index and citations stay.
        rankings.ClearReceivedCalls();
        var stored = first with { ETag = new Azure.ETag("\"1\"") };
        store.GetAggregateAsync("eve", Arg.Any<CancellationToken>()).Returns(stored);
        StoredAggregate? second = null;
        store.TryCommitAsync("eve", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => second = a), stored, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"2\""));

        await Builder().ApplyAsync("eve", [new AuthorRowChange("eve", provisional with { Novelty = 64.9, AiScore = 38.0, Provisional = false }, null)], CancellationToken.None);

        Assert.Equal(new RankedFigures(1, 3, 65, 38), second!.Ranked! with { Since = 0 });
        Assert.Equal(first.Ranked!.Since, second.Ranked!.Since);
        foreach (var category in new[] { "all", "cs.LG" })
        {
            await rankings.Received(1).MoveManyAsync(category, Arg.Is<IReadOnlyList<RankMove>>(m => m.Count == 1 && m[0].Before.Count == 2 && m[0].After.Count == 4 && m[0].Before.All(b => m[0].After[b.Key] == b.Value)), Arg.Any<CancellationToken>());
        }
    }

    [Fact]
    public void AnAuthorWithSettledAndProvisionalPapers_IsRankedByTheSettledOnes()
    {
        var rows = new[]
        {
            Paper("p1", "2024-01-01", 0) with { Novelty = 80, AiScore = 20 },
            Paper("p2", "2024-02-01", 0) with { Novelty = 10, AiScore = 90, Provisional = true },
            Paper("p3", "2024-03-01", 0) with { Novelty = 60, Retracted = true },
        };
        var view = new ProfileView
        {
            Id = "ada", Name = "Ada", HIndex = 0, I10Index = 0, PaperCount = 2, CitationCount = 0, Novelty = 45, AiScore = 55,
            ScoredPaperCount = 2, AiScoredPaperCount = 2, CoAuthors = [], Papers = [], Scoring = new ScoringView(null, null), UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal(new RankedFigures(0, 0, 80, 20), ProfileBuilder.Ranked(view, rows));
        Assert.Equal(new RankedFigures(0, 0, 45, 55), ProfileBuilder.Ranked(view, [rows[0], rows[1] with { Provisional = false }]));
    }

    [Fact]
    public async Task ManyAuthors_AreCommittedTogether_AndOneThatLostItsRace_IsReadAndCommittedOnItsOwn()
    {
        // New authors in an account without legacy aggregates: rendered without a read, committed in one call.
        IReadOnlyList<AuthorCommit>? together = null;
        store.TryCommitManyAsync(Arg.Do<IReadOnlyList<AuthorCommit>>(c => together = c), Arg.Any<CancellationToken>())
            .Returns(call => (IReadOnlyList<Azure.ETag?>)[.. call.Arg<IReadOnlyList<AuthorCommit>>().Select(c => c.AuthorId == "jo" ? (Azure.ETag?)null : new Azure.ETag("\"1\""))]);
        // The second was there already: read, then committed alone on the row's ETag with its earlier paper kept.
        var there = new StoredAggregate("jo", "Jo", "{}", "a", 1, "cs.LG", new Azure.ETag("\"7\"")) { Ledger = [Paper("p0", "2024-01-01", 1, author: "Jo")] };
        store.GetAggregateAsync("jo", Arg.Any<CancellationToken>(), false).Returns(there);
        StoredAggregate? alone = null;
        store.TryCommitAsync("jo", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => alone = a), there, Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"8\""));
        var writes = new NameIndexWrites();

        var changed = await Builder().ApplyManyAsync(
            [.. new[] { "ida", "jo", "kit" }.Select(id => (id, (IReadOnlyList<AuthorRowChange>)[new AuthorRowChange(id, Paper("p-" + id, "2024-05-01", 1, author: id), null)]))],
            2, writes, CancellationToken.None, legacyKey: false);

        Assert.Equal(3, changed);
        Assert.Equal(["ida", "jo", "kit"], together!.Select(c => c.AuthorId).Order(StringComparer.Ordinal));
        Assert.All(together!, c => Assert.Null(c.Expected));
        await store.DidNotReceive().GetAggregateAsync("ida", Arg.Any<CancellationToken>(), Arg.Any<bool>());
        Assert.Equal(["p-jo", "p0"], alone!.Ledger!.Select(p => p.Id));
        Assert.Equal(["ida", "jo", "kit"], writes.Take().Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AuthorsKnownToBeStored_AreReadTogether_NotGuessedNew()
    {
        // A settling round's authors are stored: one this process does not keep is read (a range query for the slice),
        // and committed on the ETag read, never added blind (which would fail and cost its transaction a resend).
        var there = new StoredAggregate("jo", "Jo", "{}", "a", 1, "cs.LG", new Azure.ETag("\"7\"")) { Ledger = [Paper("p-jo", "2024-05-01", 1, author: "jo")] };
        store.GetAggregatesAsync(Arg.Any<IReadOnlyCollection<string>>(), Arg.Any<CancellationToken>(), false)
            .Returns(new Dictionary<string, StoredAggregate>(StringComparer.Ordinal) { ["jo"] = there });
        IReadOnlyList<AuthorCommit>? together = null;
        store.TryCommitManyAsync(Arg.Do<IReadOnlyList<AuthorCommit>>(c => together = c), Arg.Any<CancellationToken>())
            .Returns(call => (IReadOnlyList<Azure.ETag?>)[.. call.Arg<IReadOnlyList<AuthorCommit>>().Select(_ => (Azure.ETag?)new Azure.ETag("\"8\""))]);

        var changed = await Builder().ApplyManyAsync(
            [("jo", (IReadOnlyList<AuthorRowChange>)[new AuthorRowChange("jo", Paper("p-jo", "2024-05-01", 5, author: "jo"), null)])],
            2, new NameIndexWrites(), CancellationToken.None, legacyKey: false, existing: true);

        Assert.Equal(1, changed);
        await store.Received(1).GetAggregatesAsync(Arg.Is<IReadOnlyCollection<string>>(ids => ids.Single() == "jo"), Arg.Any<CancellationToken>(), false);
        Assert.Same(there, Assert.Single(together!).Expected);
    }

    private ProfileBuilder Builder(TimeProvider? clock = null, AggregateCache? cache = null) =>
        new(store, new ProfileRankings(rankings, store), cache ?? new AggregateCache(Options.Create(new ProfileOptions { CachedLedgerRows = 0 })), cohorts, new ScoringPipeline([], NullLogger<ScoringPipeline>.Instance), Options.Create(new ProfileOptions()), clock ?? TimeProvider.System, NullLogger<ProfileBuilder>.Instance);

    private static AuthorPaper Paper(string id, string published, int citations, string author = "Ada") => new()
    {
        Id = id,
        Title = "Title " + id,
        Authors = [author, "Other Person"],
        AuthorCount = 2,
        Category = "cs.LG",
        Published = DateOnly.Parse(published, System.Globalization.CultureInfo.InvariantCulture),
        Citations = citations,
        AuthorName = author,
    };
}

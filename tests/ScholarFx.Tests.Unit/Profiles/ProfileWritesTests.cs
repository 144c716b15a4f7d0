using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Profiles;

/// <summary>Issue 22: the ranking moves and name-index rows of a batch are written together, once every author is committed.</summary>
public sealed class ProfileWritesTests
{
    [Fact]
    public void AnAuthorMovedTwiceBeforeAFlush_IsMovedOnce_FromWhereTheFirstMoveStartedToWhereTheLastEnds()
    {
        var writes = new ProfileWrites();
        RankEntry Entry(long value) => new("ada", "Ada", value, 1, "cs.LG");
        writes.Move("cs.LG", "ada", new RankMove(new Dictionary<string, RankEntry> { ["hIndex"] = Entry(1) }, new Dictionary<string, RankEntry> { ["hIndex"] = Entry(2) }));
        writes.Move("cs.LG", "ada", new RankMove(new Dictionary<string, RankEntry> { ["hIndex"] = Entry(2) }, new Dictionary<string, RankEntry> { ["hIndex"] = Entry(3) }));
        writes.Move("cs.LG", "bo", new RankMove(new Dictionary<string, RankEntry>(), new Dictionary<string, RankEntry> { ["hIndex"] = Entry(5) with { AuthorId = "bo" } }));

        var (_, moves) = writes.Take();

        var category = Assert.Single(moves);
        Assert.Equal(2, category.Value.Count);
        var ada = category.Value[0];
        Assert.Equal(1, ada.Before["hIndex"].Value);
        Assert.Equal(3, ada.After["hIndex"].Value);
        Assert.Equal(0, writes.MoveCount);
    }

    [Fact]
    public async Task ABatchOfCommits_WritesItsRankingMovesOnceAtTheFlush_ACategoryInOneCall()
    {
        var store = Substitute.For<IAuthorStore>();
        var rankings = Substitute.For<IRankingStore>();
        var cohorts = Substitute.For<ICitationCohortSource>();
        cohorts.GetAsync(Arg.Any<CancellationToken>()).Returns(ScholarFx.Core.Scoring.View.CitationCohorts.Empty);
        store.TryCommitAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Any<StoredAggregate?>(), Arg.Any<StoredAggregate?>(), Arg.Any<CancellationToken>()).Returns(new Azure.ETag("\"1\""));
        var builder = new ProfileBuilder(store, new ProfileRankings(rankings, store), new AggregateCache(Options.Create(new ProfileOptions())), cohorts,
            new ScoringPipeline([], NullLogger<ScoringPipeline>.Instance), Options.Create(new ProfileOptions()), TimeProvider.System, NullLogger<ProfileBuilder>.Instance);
        var writes = new ProfileWrites();

        foreach (var name in new[] { "ada", "bo", "cy" })
        {
            await builder.ApplyAsync(name, [new AuthorRowChange(name, Row(name), null)], CancellationToken.None, writes: writes, legacyKey: false);
        }

        // Nothing is written to the rankings or the name index before the flush.
        await rankings.DidNotReceiveWithAnyArgs().MoveManyAsync(default!, default!, default);
        await store.DidNotReceiveWithAnyArgs().IndexNamesAsync(default!, default);
        Assert.Equal(6, writes.MoveCount);
        Assert.Equal(3, writes.NameCount);

        await builder.FlushAsync(writes, CancellationToken.None);

        foreach (var category in new[] { "all", "cs.LG" })
        {
            await rankings.Received(1).MoveManyAsync(category, Arg.Is<IReadOnlyList<RankMove>>(m => m.Count == 3), Arg.Any<CancellationToken>());
        }

        await store.Received(1).IndexNamesAsync(Arg.Is<IReadOnlyCollection<NameHit>>(h => h.Count == 3), Arg.Any<CancellationToken>());
    }

    private static AuthorPaper Row(string author) => new()
    {
        Id = "p-" + author,
        Title = "Title of " + author,
        Authors = [author],
        AuthorCount = 1,
        Category = "cs.LG",
        Published = new DateOnly(2024, 1, 1),
        Citations = 2,
        AuthorName = author,
    };
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Profiles;

/// <summary>Issue 22: the ranking moves and name-index rows of a batch are written together, once every author is committed; one author's moves in commit order.</summary>
public sealed class RankingMovesTests
{
    [Fact]
    public async Task AnAuthorMovedTwiceBeforeAWrite_IsMovedOnce_FromWhereTheFirstMoveStartedToWhereTheLastEnds_InEitherOrderOfRecording()
    {
        var store = Substitute.For<IRankingStore>();
        var moves = new List<RankMove>();
        store.MoveManyAsync("all", Arg.Do<IReadOnlyList<RankMove>>(moves.AddRange), Arg.Any<CancellationToken>()).Returns([]);
        var rankings = new ProfileRankings(store, Substitute.For<IAuthorStore>());
        StoredAggregate Profile(string id, int h) => new(id, id, "", "", 1, null, default) { Ranked = new RankedFigures(h, h, null, null) };

        rankings.Record(Profile("ada", 1), Profile("ada", 2));
        rankings.Record(Profile("ada", 2), Profile("ada", 3));
        // Bo's later move is recorded first (a thread held up between its commit and recording it).
        rankings.Record(Profile("bo", 6), Profile("bo", 7));
        rankings.Record(Profile("bo", 5), Profile("bo", 6));
        Assert.Equal(2, rankings.Pending);

        await rankings.WriteAsync(CancellationToken.None);

        Assert.Equal(2, moves.Count);
        Assert.Equal((1L, 3L), (moves[0].Before["hIndex"].Value, moves[0].After["hIndex"].Value));
        Assert.Equal((5L, 7L), (moves[1].Before["hIndex"].Value, moves[1].After["hIndex"].Value));
        Assert.Equal(0, rankings.Pending);
    }

    [Fact]
    public async Task AChangeOfWhatEntriesShowOnly_WaitsForACompleteWrite_AndALaterMoveOfTheAuthorTakesItAlong()
    {
        var store = Substitute.For<IRankingStore>();
        var written = new List<RankMove>();
        store.MoveManyAsync("all", Arg.Do<IReadOnlyList<RankMove>>(written.AddRange), Arg.Any<CancellationToken>()).Returns([]);
        var rankings = new ProfileRankings(store, Substitute.For<IAuthorStore>());

        // A new paper of Ada's that moves no figure: her entries stay where they stand, only the count they show moves.
        rankings.Record(Profile("ada", 1, 1), Profile("ada", 1, 2));
        rankings.Record(Profile("ada", 1, 2), Profile("ada", 1, 3));
        // Bo's count moves, then a figure: one move from where his entries stand to where they end.
        rankings.Record(Profile("bo", 1, 1), Profile("bo", 1, 2));
        rankings.Record(Profile("bo", 1, 2), Profile("bo", 2, 3));
        Assert.Equal((1, 1), (rankings.Pending, rankings.Refreshes));

        await rankings.WriteAsync(CancellationToken.None);

        var bo = Assert.Single(written);
        Assert.False(bo.Refresh);
        Assert.Equal((1L, 1), (bo.Before["hIndex"].Value, bo.Before["hIndex"].PaperCount));
        Assert.Equal((2L, 3), (bo.After["hIndex"].Value, bo.After["hIndex"].PaperCount));
        written.Clear();

        await rankings.WriteAsync(CancellationToken.None, complete: true);

        var ada = Assert.Single(written);
        Assert.True(ada.Refresh);
        Assert.Equal(3, ada.After["hIndex"].PaperCount);
        Assert.Equal((0, 0), (rankings.Pending, rankings.Refreshes));
    }

    [Fact]
    public async Task AWriteThatFails_GivesItsMovesAndRefreshesBack_ForTheNextWrite()
    {
        var store = Substitute.For<IRankingStore>();
        var written = new List<RankMove>();
        var fail = true;
        store.MoveManyAsync("all", Arg.Any<IReadOnlyList<RankMove>>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            if (fail)
            {
                throw new OperationCanceledException("the lease was lost");
            }

            written.AddRange(call.Arg<IReadOnlyList<RankMove>>());
            return Task.FromResult<IReadOnlyList<string>>([]);
        });
        var rankings = new ProfileRankings(store, Substitute.For<IAuthorStore>());
        rankings.Record(Profile("ada", 1, 1), Profile("ada", 1, 2));
        rankings.Record(Profile("bo", 1, 1), Profile("bo", 2, 2));

        // A settling's write takes every writer's moves; its lease is lost half-way and nothing of them may be lost.
        await Assert.ThrowsAsync<OperationCanceledException>(() => rankings.WriteAsync(CancellationToken.None, complete: true));
        Assert.Equal((1, 1), (rankings.Pending, rankings.Refreshes));
        // Bo moves again meanwhile: the move given back is the older, so one move goes from where it started.
        rankings.Record(Profile("bo", 2, 2), Profile("bo", 3, 3));

        fail = false;
        await rankings.WriteAsync(CancellationToken.None, complete: true);

        Assert.Equal(2, written.Count);
        Assert.Equal((1L, 3L), (written.Single(m => !m.Refresh).Before["hIndex"].Value, written.Single(m => !m.Refresh).After["hIndex"].Value));
        Assert.Equal(2, written.Single(m => m.Refresh).After["hIndex"].PaperCount);
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
        var writes = new NameIndexWrites();

        foreach (var name in new[] { "ada", "bo", "cy" })
        {
            await builder.ApplyAsync(name, [new AuthorRowChange(name, Row(name), null)], CancellationToken.None, writes: writes, legacyKey: false);
        }

        // Nothing is written to the rankings or the name index before the flush.
        await rankings.DidNotReceiveWithAnyArgs().MoveManyAsync(default!, default!, default);
        await store.DidNotReceiveWithAnyArgs().IndexNamesAsync(default!, default);
        Assert.Equal(3, writes.NameCount);

        await builder.FlushAsync(writes, CancellationToken.None);

        foreach (var category in new[] { "all", "cs.LG" })
        {
            await rankings.Received(1).MoveManyAsync(category, Arg.Is<IReadOnlyList<RankMove>>(m => m.Count == 3), Arg.Any<CancellationToken>());
        }

        await store.Received(1).IndexNamesAsync(Arg.Is<IReadOnlyCollection<NameHit>>(h => h.Count == 3), Arg.Any<CancellationToken>());
    }

    /// <summary>A stored profile ranked by <paramref name="h"/> (as h-index and citations) with <paramref name="papers"/> papers, first listed at 7.</summary>
    private static StoredAggregate Profile(string id, int h, int papers) =>
        new(id, id, "", "", papers, null, default) { Ranked = new RankedFigures(h, h, null, null, null, Since: 7) };

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

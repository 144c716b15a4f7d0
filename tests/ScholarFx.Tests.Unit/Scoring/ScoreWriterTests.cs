using NSubstitute;
using NSubstitute.ExceptionExtensions;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Unit.Scoring.Ai;

namespace ScholarFx.Tests.Unit.Scoring;

/// <summary>How settling writes papers' scores: many together, the ones that lost a race alone, each failure on its own.</summary>
public sealed class ScoreWriterTests
{
    private readonly IPaperStore store = Substitute.For<IPaperStore>();

    private static PaperScores Scores(double novelty) => new(new Score(novelty, null, "m", "v"), Score.NotScored) { Pioneer = Score.NotScored };

    private static Paper Stored(string id, double novelty) =>
        LocalAssessorTests.PaperOf("Title " + id, "Text " + id, id) with { Scores = Scores(novelty), StoreVersion = "\"1\"" };

    [Fact]
    public async Task ManyPapers_AreReadAndWrittenTogether_AndOneThatLostItsRaceButThenFails_IsReportedAlone()
    {
        string[] ids = ["a", "b", "c"];
        store.GetManyAsync(Arg.Any<IReadOnlyCollection<string>>(), 3, Arg.Any<CancellationToken>())
            .Returns(call => (IReadOnlyList<Paper>)[.. call.Arg<IReadOnlyCollection<string>>().Select(id => Stored(id, 0.1))]);
        // "b" lost its race in the transaction; written alone it keeps failing.
        store.TryReplaceManyAsync(Arg.Any<IReadOnlyList<Paper>>(), Arg.Any<CancellationToken>())
            .Returns(call => (IReadOnlyList<bool>)[.. call.Arg<IReadOnlyList<Paper>>().Select(p => p.Id != "b")]);
        store.GetPaperAsync("b", Arg.Any<CancellationToken>()).Returns(Stored("b", 0.1));
        store.TryReplaceAsync(Arg.Is<Paper>(p => p.Id == "b"), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("storage down"));

        var (written, failed) = await new ScoreWriter(store).WriteManyAsync(ids, p => Scores(0.9), corpusSize: 3, parallelism: 2, CancellationToken.None);

        Assert.Equal(["a", "c"], written.Select(w => w.Paper.Id).Order(StringComparer.Ordinal));
        Assert.All(written, w => Assert.Equal(0.9, w.Paper.Scores.Novelty.Value));
        // Each written paper's author row carries the new score.
        Assert.All(written, w => Assert.Equal(0.9, Assert.Single(w.Changes).Upsert!.Novelty));
        Assert.Equal("b", Assert.Single(failed).PaperId);
        await store.Received(1).GetManyAsync(Arg.Any<IReadOnlyCollection<string>>(), 3, Arg.Any<CancellationToken>());
        await store.DidNotReceive().GetPaperAsync("a", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task APaperAlreadyHoldingItsScores_IsNothingToWrite_UnlessAskedToRenderItsAuthorsAgain()
    {
        store.GetPaperAsync("a", Arg.Any<CancellationToken>()).Returns(Stored("a", 0.9));
        var writer = new ScoreWriter(store);

        Assert.Null(await writer.WriteAsync("a", p => Scores(0.9), CancellationToken.None));
        // A slice written again one by one after a failure: a paper the failed attempt wrote still has its authors rendered.
        var (paper, changes) = (await writer.WriteAsync("a", p => Scores(0.9), CancellationToken.None, reproject: true))!.Value;

        Assert.Equal("a", paper.Id);
        Assert.Equal(AuthorKey.FromName("Ada Lovelace"), Assert.Single(changes).AuthorId);
        await store.DidNotReceive().TryReplaceAsync(Arg.Any<Paper>(), Arg.Any<CancellationToken>());
    }
}

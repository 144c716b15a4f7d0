using Microsoft.Extensions.Logging.Abstractions;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;

namespace ScholarFx.Tests.Unit.Scoring;

public sealed class ScoringPipelineTests
{

    [Fact]
    public async Task ScoreAsync_LeavesPapersNotScored_WithNoScorers()
    {
        var pipeline = Pipeline();

        var scored = await pipeline.ScoreAsync([Paper("p1"), Paper("p2")], CancellationToken.None);

        Assert.Equal(2, scored.Count);
        Assert.All(scored, p =>
        {
            Assert.Null(p.Scores.Novelty.Value);
            Assert.Equal("not scored", p.Scores.Novelty.Reason);
            Assert.Null(p.Scores.AiScore.Value);
            Assert.Equal("not scored", p.Scores.AiScore.Reason);
        });
    }

    [Fact]
    public async Task ScoreAsync_AppliesScoresByKind()
    {
        var novelty = Scorer(ScoreKind.Novelty, "minilm/1", new Dictionary<string, Score>
        {
            ["p1"] = new(71.5, null, "minilm", "1"),
            ["p2"] = new(44.9, null, "minilm", "1"),
        });
        var ai = Scorer(ScoreKind.AiScore, "local-rubric/1", new Dictionary<string, Score>
        {
            ["p1"] = new(64.0, null, "local-rubric", "1"),
        });
        var pipeline = Pipeline(novelty, ai);

        var scored = await pipeline.ScoreAsync([Paper("p1"), Paper("p2")], CancellationToken.None);

        Assert.Equal(71.5, scored[0].Scores.Novelty.Value);
        Assert.Equal(64.0, scored[0].Scores.AiScore.Value);
        Assert.Equal(44.9, scored[1].Scores.Novelty.Value);
        Assert.Equal("not scored", scored[1].Scores.AiScore.Reason);
    }

    [Fact]
    public async Task ScoreAsync_KeepsPreviousScore_OfPaperTheScorerLeftOut()
    {
        var previous = new Score(12.3, null, "minilm", "1");
        var novelty = Scorer(ScoreKind.Novelty, "minilm/1", new Dictionary<string, Score>());
        var pipeline = Pipeline(novelty);
        var paper = Paper("p1") with { Scores = new PaperScores(previous, Score.NotScored) };

        var scored = await pipeline.ScoreAsync([paper], CancellationToken.None);

        Assert.Same(previous, scored[0].Scores.Novelty);
    }

    [Fact]
    public async Task ScoreAsync_GivesScorerTheBatch()
    {
        var novelty = Scorer(ScoreKind.Novelty, "minilm/1", new Dictionary<string, Score>());
        var pipeline = Pipeline(novelty);
        var papers = new[] { Paper("p1"), Paper("p2") };

        await pipeline.ScoreAsync(papers, CancellationToken.None);

        await novelty.Received(1).ScoreAsync(
            Arg.Is<ScoringBatch>(b => b.Papers.Count == 2 && b.Papers[0].Id == "p1"),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ScoreAsync_GivesNullWithReason_WhenScorerThrows()
    {
        var failing = Substitute.For<IBatchScorer>();
        failing.Kind.Returns(ScoreKind.AiScore);
        failing.Model.Returns("gpt/1");
        failing.ScoreAsync(Arg.Any<ScoringBatch>(), Arg.Any<CancellationToken>())
            .Returns<IReadOnlyDictionary<string, Score>>(_ => throw new HttpRequestException("503 from the model"));
        var pipeline = Pipeline(failing);

        var scored = await pipeline.ScoreAsync([Paper("p1"), Paper("p2")], CancellationToken.None);

        Assert.Equal(["p1", "p2"], scored.Select(p => p.Id));
        Assert.All(scored, p =>
        {
            Assert.Null(p.Scores.AiScore.Value);
            Assert.False(string.IsNullOrEmpty(p.Scores.AiScore.Reason));
            Assert.NotEqual("not scored", p.Scores.AiScore.Reason);
            Assert.Equal("gpt/1", p.Scores.AiScore.Model);
        });
    }

    [Fact]
    public async Task ScoreAsync_AppliesOtherScorers_WhenOneThrows()
    {
        var failing = Substitute.For<IBatchScorer>();
        failing.Kind.Returns(ScoreKind.AiScore);
        failing.Model.Returns("gpt/1");
        failing.ScoreAsync(Arg.Any<ScoringBatch>(), Arg.Any<CancellationToken>())
            .Returns<IReadOnlyDictionary<string, Score>>(_ => throw new InvalidOperationException("boom"));
        var novelty = Scorer(ScoreKind.Novelty, "minilm/1", new Dictionary<string, Score> { ["p1"] = new(50.0, null, "minilm", "1") });
        var pipeline = Pipeline(failing, novelty);

        var scored = await pipeline.ScoreAsync([Paper("p1")], CancellationToken.None);

        Assert.Equal(50.0, scored[0].Scores.Novelty.Value);
        Assert.Null(scored[0].Scores.AiScore.Value);
    }

    [Fact]
    public async Task ScoreAsync_LetsCancellationPropagate()
    {
        var cancelled = Substitute.For<IBatchScorer>();
        cancelled.Kind.Returns(ScoreKind.Novelty);
        cancelled.ScoreAsync(Arg.Any<ScoringBatch>(), Arg.Any<CancellationToken>())
            .Returns<IReadOnlyDictionary<string, Score>>(_ => throw new OperationCanceledException());
        var pipeline = Pipeline(cancelled);

        await Assert.ThrowsAsync<OperationCanceledException>(() => pipeline.ScoreAsync([Paper("p1")], CancellationToken.None));
    }

    [Fact]
    public void ModelOf_NamesScorerOfKind_OrNull()
    {
        var pipeline = Pipeline(Scorer(ScoreKind.Novelty, "all-MiniLM-L6-v2", new Dictionary<string, Score>()));

        Assert.Equal("all-MiniLM-L6-v2", pipeline.ModelOf(ScoreKind.Novelty));
        Assert.Null(pipeline.ModelOf(ScoreKind.AiScore));
    }

    private ScoringPipeline Pipeline(params IBatchScorer[] scorers) =>
        new(scorers, NullLogger<ScoringPipeline>.Instance);

    private static IBatchScorer Scorer(ScoreKind kind, string model, IReadOnlyDictionary<string, Score> scores)
    {
        var scorer = Substitute.For<IBatchScorer>();
        scorer.Kind.Returns(kind);
        scorer.Model.Returns(model);
        scorer.ScoreAsync(Arg.Any<ScoringBatch>(), Arg.Any<CancellationToken>()).Returns(scores);
        return scorer;
    }

    private static Paper Paper(string id) => new()
    {
        Id = id,
        Title = "Paper " + id,
        Abstract = "Abstract of " + id,
        Authors = [new PaperAuthor("Boyu Shi")],
        Categories = ["cs.LG"],
        Published = new DateOnly(2024, 3, 1),
        Aliases = [id],
        Sources = ["scholarfx-json"],
        ContentHash = PaperIdentity.ContentHash("Paper " + id, "Abstract of " + id),
    };
}

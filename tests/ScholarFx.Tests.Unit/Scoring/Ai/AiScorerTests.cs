using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using ScholarFx.Core;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Scoring.Ai;

public sealed class AiScorerTests
{
    private readonly IAiAssessor assessor = Substitute.For<IAiAssessor>();
    private readonly IPaperStore store = Substitute.For<IPaperStore>();

    private readonly CorpusView view;

    public AiScorerTests()
    {
        view = new CorpusView(new InMemoryCorpusLog(), store, new EmbeddingStage(new HashingEmbedder()), assessor, Options.Create(new NoveltyOptions()), NullLogger<CorpusView>.Instance);
        assessor.Model.Returns("model-a");
        assessor.PromptVersion.Returns("prompt/1");
        assessor.Concurrency.Returns(2);
        store.ScanAsync(Arg.Any<CancellationToken>()).Returns(AsyncEnumerable.Empty<Paper>());
    }

    [Fact]
    public async Task TheScoreIsTheCohortPercentileOfTheRawScore_AmongEarlierAssessedPapersOfTheView()
    {
        var papers = new[] { Paper("a", "2024-01-01"), Paper("b", "2024-02-01"), Paper("c", "2024-03-01"), Paper("d", "2024-04-01") };
        Returns(papers[0], 50);
        Returns(papers[1], 30);
        assessor.AssessAsync(papers[2], Arg.Any<ScoringRun>(), Arg.Any<CancellationToken>()).Returns(AssessmentOutcome.Failed("the model refused"));
        Returns(papers[3], 60);
        var scorer = Scorer();

        // Each paper is stored (and published to the view) before the next is scored.
        var scores = new Dictionary<string, Score>();
        foreach (var paper in papers)
        {
            var score = (await scorer.ScoreAsync(new ScoringBatch([paper], new ScoringRun()), CancellationToken.None))[paper.Id];
            scores[paper.Id] = score;
            await view.PublishAsync([paper with { Scores = new PaperScores(Score.NotScored, score) }], CancellationToken.None);
        }

        Assert.Null(scores["a"].Value);
        Assert.Equal("no earlier assessed papers to rank against yet", scores["a"].Reason);
        Assert.Equal(0.0, scores["b"].Value); // below the one earlier raw score
        Assert.Null(scores["c"].Value);
        Assert.Equal("the model refused", scores["c"].Reason);
        Assert.Equal(100.0, scores["d"].Value); // above both earlier assessed papers; the failed one is not in the cohort
        var details = scores["d"].Details!.Value.Deserialize<AiExplanation>(ScholarFxJson.Options)!;
        Assert.Equal(new ReferenceSet("all-earlier", null, null, 2), details.Reference);
        Assert.Equal(60, details.Raw);
        Assert.Equal("model-a", scores["d"].Model);
        Assert.Equal("prompt/1", scores["d"].Version);
        Assert.True(details.Provisional);
    }

    [Fact]
    public async Task APaperHoldingACurrentAssessment_IsNotAssessedAgain_ButOneOfAnotherModelIs()
    {
        var scorer = Scorer();
        var first = Paper("a", "2024-01-01");
        Returns(first, 40);
        var scored = await scorer.ScoreAsync(new ScoringBatch([first], new ScoringRun()), CancellationToken.None);
        assessor.ClearReceivedCalls();

        var held = first with { Scores = new PaperScores(Score.NotScored, scored["a"]) };
        await scorer.ScoreAsync(new ScoringBatch([held], new ScoringRun()), CancellationToken.None);
        await assessor.DidNotReceive().AssessAsync(Arg.Any<Paper>(), Arg.Any<ScoringRun>(), Arg.Any<CancellationToken>());

        assessor.AssessAsync(Arg.Any<Paper>(), Arg.Any<ScoringRun>(), Arg.Any<CancellationToken>()).Returns(AssessmentOutcome.Failed("another model's assessment"));
        var otherModel = first with { Scores = new PaperScores(Score.NotScored, scored["a"] with { Model = "model-b" }) };
        await scorer.ScoreAsync(new ScoringBatch([otherModel], new ScoringRun()), CancellationToken.None);
        await assessor.Received(1).AssessAsync(Arg.Any<Paper>(), Arg.Any<ScoringRun>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void ARunsCallBudget_IsExact_UnderConcurrency()
    {
        var run = new ScoringRun();
        var taken = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (run.TryTakeCall(10))
            {
                Interlocked.Increment(ref taken);
            }
        });

        Assert.Equal(10, taken);
        Assert.Equal(10, run.Calls);
    }

    [Fact]
    public async Task ANearCopyOfEarlierWork_LosesSignificance_ByItsNoveltyRawValue()
    {
        var papers = new[] { Paper("a", "2024-01-01"), Paper("copy", "2024-02-01"), Paper("fresh", "2024-03-01") };
        foreach (var p in papers)
        {
            assessor.AssessAsync(p, Arg.Any<ScoringRun>(), Arg.Any<CancellationToken>())
                .Returns(AssessmentOutcome.Of(new AiAssessment("s", "r", new Rubric(90, 60, 60), "model-a", "prompt/1", p.ContentHash)));
        }

        // The novelty scorer ran first in the batch: the copy's nearest earlier paper is a third as far as the spacing
        // there (raw 0.2), the fresh paper's well over 0.6.
        static Score Novelty(double raw) => new(50, null, "m", "novelty/2", JsonSerializer.SerializeToElement(new { raw }));
        var batch = new ScoringBatch(papers, new ScoringRun())
        {
            Earlier = new Dictionary<ScoreKind, IReadOnlyDictionary<string, Score>>
            {
                [ScoreKind.Novelty] = new Dictionary<string, Score> { ["copy"] = Novelty(0.2), ["fresh"] = Novelty(0.9) },
            },
        };

        var scores = await Scorer().ScoreAsync(batch, CancellationToken.None);

        var copy = scores["copy"].Details!.Value.Deserialize<AiExplanation>(ScholarFxJson.Options)!;
        var fresh = scores["fresh"].Details!.Value.Deserialize<AiExplanation>(ScholarFxJson.Options)!;
        Assert.Equal(1 / 3.0, copy.SignificanceFactor!.Value, 6);
        Assert.Equal(((90 / 3.0) + 60 + 60) / 3, copy.Raw!.Value, 6);
        Assert.Equal(1, fresh.SignificanceFactor);
        Assert.Equal(70, fresh.Raw!.Value, 6);
        Assert.Equal(new Rubric(90, 60, 60), copy.Rubric); // the assessment itself is kept as assessed
        Assert.True(copy.Provisional); // ranked against the whole corpus when settled
    }

    private AiScorer Scorer() => new(assessor, view);

    private void Returns(Paper paper, double raw) =>
        assessor.AssessAsync(paper, Arg.Any<ScoringRun>(), Arg.Any<CancellationToken>())
            .Returns(AssessmentOutcome.Of(new AiAssessment("Summary of " + paper.Id, "Because.", new Rubric(raw, raw, raw), "model-a", "prompt/1", paper.ContentHash)));

    private static Paper Paper(string id, string published) => LocalAssessorTests.PaperOf("Title " + id, "Abstract of " + id, id, published);
}

using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.Pioneer;
using ScholarFx.Validity;

namespace ScholarFx.Tests.Unit.Scoring.Pioneer;

/// <summary>
/// The pioneer computation on generated vectors: a background of unrelated papers over two years (enough later papers
/// for a value), papers planted in it with followers, near-copies and followers outside the window, each scored from the
/// neighbourhoods the novelty index finds, as settling does.
/// </summary>
public sealed class PioneerScorerTests
{
    private const int Dimensions = 64;
    private static readonly DateOnly Start = new(2020, 1, 1);
    private static readonly NoveltyOptions Novelty = new() { NoveltyNeighbours = 10, MinimumCohort = 50 };
    private static readonly PioneerOptions Options = new();

    [Fact]
    public void APaperLaterPapersFollow_ScoresAboveOneNobodyFollows()
    {
        var random = new Random(1);
        var corpus = Background(random, 500);
        var leader = Planted("leader", Start.AddDays(10), PlantedCorpus.RandomUnit(random, Dimensions));
        var alone = Planted("alone", Start.AddDays(10), PlantedCorpus.RandomUnit(random, Dimensions));
        corpus.AddRange([leader, alone]);
        corpus.AddRange(Followers(random, leader, 30, fromDay: 80, toDay: 600));

        var (values, scores) = Score(corpus);

        Assert.True(values["leader"].Raw > values["alone"].Raw, $"leader {values["leader"].Raw} vs alone {values["alone"].Raw}");
        Assert.True(scores["leader"].Value > scores["alone"].Value, $"leader {scores["leader"].Value} vs alone {scores["alone"].Value}");
        Assert.Equal(30, values["leader"].FollowerCount);
        var explanation = scores["leader"].Explanation<PioneerExplanation>()!;
        Assert.Equal(PioneerRanking.ShownFollowers, explanation.Followers.Count);
        Assert.All(explanation.Followers, f => Assert.StartsWith("leader-f", f.Id, StringComparison.Ordinal));
        Assert.Equal(1, explanation.Followers[0].Rank);
        Assert.Equal(PioneerScorer.Version, scores["leader"].Version);
    }

    [Fact]
    public void ANearCopyOfAnEarlierPaper_IsAVersionOfIt_AndNeverScoresAboveIt()
    {
        var random = new Random(2);
        var corpus = Background(random, 500);
        var original = Planted("original", Start.AddDays(5), PlantedCorpus.RandomUnit(random, Dimensions));
        // A copy 30 days later by other authors (the same-work rule does not exclude it), and later papers closer to the copy than to the original.
        var copy = Planted("copy", Start.AddDays(35), PlantedCorpus.Jitter(random, original.Vector, 0.05));
        var quiet = Planted("quiet", Start.AddDays(8), PlantedCorpus.RandomUnit(random, Dimensions));
        var quietCopy = Planted("quiet-copy", Start.AddDays(40), PlantedCorpus.Jitter(random, quiet.Vector, 0.05));
        corpus.AddRange([original, copy, quiet, quietCopy]);
        corpus.AddRange(Followers(random, copy, 25, fromDay: 120, toDay: 500));

        var (values, scores) = Score(corpus);

        Assert.Equal("original", values["copy"].VersionOf);
        Assert.Equal("quiet", values["quiet-copy"].VersionOf);
        Assert.True(values["copy"].Raw <= values["original"].Raw, $"copy {values["copy"].Raw} vs original {values["original"].Raw}");
        Assert.True(values["quiet-copy"].Raw <= values["quiet"].Raw, $"copy {values["quiet-copy"].Raw} vs original {values["quiet"].Raw}");
        Assert.True(scores["copy"].Value <= scores["original"].Value);
        // The copy's followers are credited to the first paper of the chain.
        Assert.True(values["original"].FollowerCount >= 25);
        Assert.Equal(0, values["copy"].FollowerCount);
        Assert.Equal("original", scores["copy"].Explanation<PioneerExplanation>()!.VersionOf);
    }

    [Fact]
    public void BelowTheMinimumOfLaterPapers_ThereIsNoValue_AndTheReasonSaysWhy()
    {
        var random = new Random(3);
        var corpus = Background(random, 600);

        var (values, scores) = Score(corpus);

        var byDate = corpus.OrderBy(e => e.Published).ToList();
        foreach (var paper in byDate)
        {
            // Later papers from the lag to the window after the paper, counted by hand.
            var later = byDate.Count(e => e.Published.DayNumber >= paper.Published.DayNumber + Options.PioneerLagDays && e.Published.DayNumber <= paper.Published.DayNumber + Options.PioneerWindowDays);
            Assert.Equal(later, values[paper.Id].LaterPapers);
            Assert.Equal(later < 200, values[paper.Id].Raw is null);
            if (later < 200)
            {
                Assert.Null(scores[paper.Id].Value);
                Assert.Equal("fewer than 200 later papers in its window (60 to 730 days after it) yet", scores[paper.Id].Reason);
                Assert.Equal(later, scores[paper.Id].Explanation<PioneerExplanation>()!.Counts.LaterPapers);
            }
        }

        Assert.Contains(values.Values, v => v.Raw is null);
        Assert.Contains(values.Values, v => v.Raw is not null);
    }

    [Fact]
    public void OnlyLaterPapersFromTheLagToTheEndOfTheWindow_Follow()
    {
        var random = new Random(4);
        var corpus = Background(random, 500);
        var leader = Planted("leader", Start.AddDays(20), PlantedCorpus.RandomUnit(random, Dimensions));
        corpus.Add(leader);
        // 12 in the lag (its own batch), 9 in the window, 15 after it: only the 9 credit it.
        corpus.AddRange(Followers(random, leader, 12, fromDay: 21, toDay: 20 + Options.PioneerLagDays - 1, tag: "batch"));
        corpus.AddRange(Followers(random, leader, 9, fromDay: 20 + Options.PioneerLagDays, toDay: 20 + Options.PioneerWindowDays, tag: "window"));
        corpus.AddRange(Followers(random, leader, 15, fromDay: 20 + Options.PioneerWindowDays + 1, toDay: 20 + Options.PioneerWindowDays + 200, tag: "after"));

        var (values, scores) = Score(corpus);

        Assert.Equal(9, values["leader"].FollowerCount);
        Assert.All(scores["leader"].Explanation<PioneerExplanation>()!.Followers, f => Assert.StartsWith("leader-window", f.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void RawValues_AreCreditShares_WithTiesBrokenByTheEarlierNeighbourhood()
    {
        var random = new Random(5);
        var corpus = Background(random, 500);

        var (values, _) = Score(corpus);

        var scored = values.Values.Where(v => v.Raw is not null).ToList();
        Assert.All(scored, v => Assert.InRange(v.Raw!.Value - (v.Credit / v.LaterPapers), -1e-9, 1e-9));
        // No pile-up on one value: papers nobody followed are ordered by their own neighbourhood.
        Assert.True(scored.GroupBy(v => v.Raw).Max(g => g.Count()) <= 2);
    }

    private static (Dictionary<string, PioneerValue> Values, Dictionary<string, Score> Scores) Score(List<CorpusEntry> corpus)
    {
        var index = new NoveltyIndex(Novelty);
        index.Upsert(corpus, detectStale: false);
        var byDate = index.Snapshot();
        NoveltyScorer.Recompute(index, byDate);
        var ranked = PioneerScorer.RankAll(byDate, Options, index.K, Novelty.Cohort);
        return (
            ranked.ToDictionary(r => r.Key, r => r.Value.Value, StringComparer.Ordinal),
            ranked.ToDictionary(r => r.Key, r => PioneerScorer.ScoreOf(r.Value.Value, r.Value.Ranked, "test-model", Options, index.K), StringComparer.Ordinal));
    }

    /// <summary>
    /// Papers of one broad field spread evenly over two years: closer to each other (similarity about 0.5) than to a
    /// paper planted in a random direction (about 0), so only the planted followers have a planted paper among their
    /// nearest earlier papers.
    /// </summary>
    private static List<CorpusEntry> Background(Random random, int count)
    {
        var field = PlantedCorpus.RandomUnit(random, Dimensions);
        return [.. Enumerable.Range(0, count).Select(i => Planted($"b{i:D4}", Start.AddDays(i * 730 / count), PlantedCorpus.Jitter(random, field, 1.0)))];
    }

    private static IEnumerable<CorpusEntry> Followers(Random random, CorpusEntry of, int count, int fromDay, int toDay, string tag = "f") =>
        Enumerable.Range(0, count).Select(i => Planted($"{of.Id}-{tag}{i:D2}", Start.AddDays(fromDay + (i * (toDay - fromDay) / Math.Max(1, count - 1))), PlantedCorpus.Jitter(random, of.Vector, 0.35)));

    private static CorpusEntry Planted(string id, DateOnly published, float[] vector) => PlantedCorpus.Entry(id, published, "cs.LG", vector);
}

using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;
using ScholarFx.Validity;

namespace ScholarFx.Tests.Unit.Scoring.View;

public sealed class CorpusViewStateTests
{
    private static readonly Random Random = new(7);
    private readonly float[] centre = PlantedCorpus.RandomUnit(Random, 16);

    [Fact]
    public void ASettledNeighbourhood_ComputedBeforeAChangeTheLogRecordedAfterIt_DoesNotClearThatChange()
    {
        var state = new CorpusViewState(new NoveltyOptions { NoveltyNeighbours = 2 }, "m", "ai", new CohortRule(365, 1));
        var earlier = new[] { Fact("a", 1), Fact("b", 2), Fact("c", 3) };
        var later = Fact("e", 40);
        state.Apply([.. earlier, later], At(1));
        Assert.True(state.Index.Get("e")!.Stale);

        // A settler at position 1 settles e (its neighbours among a, b, c).
        var settled = Settled(later, asOf: At(1), "a", "b");
        state.Apply([settled], At(2));
        Assert.False(state.Index.Get("e")!.Stale);

        // Then another instance's ingest records x: earlier than e and a copy of it, so e's neighbourhood changes.
        state.Apply([Fact("x", 20, vector: later.Vector)], At(3));
        Assert.True(state.Index.Get("e")!.Stale);

        // A settled fact for e computed from the view at position 2 (before x) arrives after x: e stays stale.
        state.Apply([Settled(later, asOf: At(2), "a", "b")], At(4));
        Assert.True(state.Index.Get("e")!.Stale);

        // One computed after x (position 3) settles it.
        state.Apply([Settled(later, asOf: At(3), "x", "a")], At(5));
        Assert.False(state.Index.Get("e")!.Stale);
        Assert.Equal("x", state.Index.Get("e")!.Neighbours[0].Id);
    }

    [Fact]
    public void AFactWithAnotherVector_ReplacesThePaper_AndLeavesItStaleWhateverNeighbourhoodItCarries()
    {
        var state = new CorpusViewState(new NoveltyOptions { NoveltyNeighbours = 2 }, "m", "ai", new CohortRule(365, 1));
        var paper = Fact("p", 30);
        state.Apply([Fact("a", 1), Fact("b", 2), paper], At(1));
        state.Apply([Settled(paper, At(1), "a", "b")], At(2));
        Assert.False(state.Index.Get("p")!.Stale);

        var reembedded = Settled(paper with { Vector = PlantedCorpus.RandomUnit(Random, 16) }, At(2), "a", "b");
        state.Apply([reembedded], At(3));

        Assert.True(state.Index.Get("p")!.Stale);
        Assert.True(state.Index.Get("p")!.Holds(reembedded.Vector));
    }

    private static LogPosition At(long offset) => new(0, offset);

    private CorpusFact Fact(string id, int day, float[]? vector = null) => new()
    {
        Id = id,
        Published = new DateOnly(2024, 1, 1).AddDays(day),
        Category = "cs.LG",
        AuthorKeys = WorkKeys.Of(["author-" + id]),
        AliasKeys = WorkKeys.Of([id]),
        EmbeddingModel = "m",
        Vector = vector ?? PlantedCorpus.Jitter(Random, centre, 0.5),
    };

    private static CorpusFact Settled(CorpusFact fact, LogPosition asOf, params string[] neighbours) => fact with
    {
        NoveltySettled = true,
        AsOf = asOf,
        NoveltyRaw = 0.5,
        Spacing = 0.5,
        Neighbours = [.. neighbours.Select((n, i) => new Neighbour(n, "2024-01-01", 0.9 - (0.1 * i)))],
    };
}

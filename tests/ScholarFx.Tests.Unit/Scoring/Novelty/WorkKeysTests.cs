using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Tests.Unit.Scoring.Novelty;

public sealed class WorkKeysTests
{
    [Fact]
    public void Of_IsSortedAndDistinct_AndTheSameForTheSameNamesInAnyOrder()
    {
        var keys = WorkKeys.Of(["b", "a", "b", "c"]);

        Assert.Equal(3, keys.Length);
        Assert.Equal(keys.Order(), keys);
        Assert.Equal(keys, WorkKeys.Of(["c", "a", "b"]));
    }

    [Fact]
    public void Key_IsStableAcrossProcesses()
    {
        // FNV-1a 64 of the UTF-16 code units and then the length (computed independently): a fixed value, unlike
        // string.GetHashCode, which changes per process — every instance must give a paper the same keys.
        Assert.Equal(6732010014077506462UL, WorkKeys.Key("arxiv:2501.00001"));
        Assert.Equal(WorkKeys.Key("arxiv:2501.00001"), WorkKeys.Key(new string("arxiv:2501.00001".ToCharArray())));
        Assert.NotEqual(WorkKeys.Key("ab"), WorkKeys.Key("ba"));
    }

    [Fact]
    public void Overlap_FindsASharedKey_AndNoneWhenThereIsNone()
    {
        Assert.True(WorkKeys.Overlap(WorkKeys.Of(["x", "y", "z"]), WorkKeys.Of(["q", "z"])));
        Assert.False(WorkKeys.Overlap(WorkKeys.Of(["x", "y"]), WorkKeys.Of(["q", "r"])));
        Assert.False(WorkKeys.Overlap([], WorkKeys.Of(["q"])));
    }

    [Fact]
    public void Sorted_SortsUnsortedKeys_AndDropsRepeats()
    {
        Assert.Equal([1UL, 2UL, 5UL], WorkKeys.Sorted([5UL, 1UL, 2UL, 5UL]));
    }
}

using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Storage;

public sealed class RecentEntriesTests
{
    private sealed record Entry(string Key, int Size);

    [Fact]
    public void TheOldestEntriesGo_OnceTheSizeIsOverTheCapacity()
    {
        var recent = new RecentEntries<Entry>(e => e.Size, () => 10);
        recent.Set("a", new Entry("a", 4));
        recent.Set("b", new Entry("b", 4));
        recent.Set("c", new Entry("c", 4));

        Assert.Null(recent.Get("a"));
        Assert.Equal(4, recent.Get("b")!.Size);
        Assert.Equal(4, recent.Get("c")!.Size);
    }

    [Fact]
    public void AKeyKeptAgain_CountsOnce_AndKeepsItsNewestEntry()
    {
        var recent = new RecentEntries<Entry>(e => e.Size, () => 10);
        for (var i = 0; i < 5_000; i++)
        {
            recent.Set("a", new Entry("a", 5));
        }

        recent.Set("b", new Entry("b", 5));

        Assert.NotNull(recent.Get("a"));
        Assert.NotNull(recent.Get("b"));
        Assert.Equal(2, recent.Count);
    }

    [Fact]
    public void AnEntryLargerThanTheCapacity_IsNotKept_AndForgetDropsOne()
    {
        var recent = new RecentEntries<Entry>(e => e.Size, () => 10);
        recent.Set("a", new Entry("a", 3));
        recent.Set("a", new Entry("a", 11));
        Assert.Null(recent.Get("a"));

        recent.Set("b", new Entry("b", 3));
        recent.Forget("b");
        Assert.Null(recent.Get("b"));
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void ACapacityOfZero_KeepsNothing()
    {
        var recent = new RecentEntries<Entry>(_ => 1, () => 0);
        recent.Set("a", new Entry("a", 1));
        Assert.Null(recent.Get("a"));
    }
}

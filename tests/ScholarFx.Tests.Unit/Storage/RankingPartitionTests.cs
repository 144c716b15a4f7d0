using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Storage;

/// <summary>
/// A ranking list packed into pages: a flush writes each page it changes once, a full page splits into pages a range
/// query finds by their upper bounds, and a move whose old entry is not there is left to the caller.
/// </summary>
public sealed class RankingPartitionTests
{
    private static RankEntry Entry(int i, long value) => new($"author-{i:D4}", $"Author {i}", value, 1, "cs.CL");

    private static RankChange Put(RankEntry entry) => RankChange.Ranked(entry.AuthorId, [], [entry]);

    /// <summary>Stores the writes as a table would (new ETags for added and replaced pages) and reads the partition back.</summary>
    private static RankingPartition Store(Dictionary<string, TableEntity> table, RankingPartition list, IEnumerable<RankChange> changes, out IReadOnlyList<string> missed, out IReadOnlyList<TableTransactionAction> writes)
    {
        var (w, stored, m) = list.Apply(changes);
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        foreach (var write in w)
        {
            var key = write.Entity.RowKey;
            if (write.ActionType == TableTransactionActionType.Delete)
            {
                Assert.Equal(table[key].ETag, write.ETag);
                table.Remove(key);
                continue;
            }

            if (write.ActionType == TableTransactionActionType.Add)
            {
                Assert.False(table.ContainsKey(key));
            }
            else
            {
                Assert.Equal(table[key].ETag, write.ETag);
            }

            var entity = new TableEntity((TableEntity)write.Entity) { ETag = new ETag(Guid.NewGuid().ToString()) };
            table[key] = entity;
            etags[key] = entity.ETag;
        }

        missed = m;
        writes = w;
        var next = stored(etags);
        var read = RankingPartition.Load(list.Key, table.Values);
        Assert.Equal(read.PageCount, next.PageCount);
        return read;
    }

    [Fact]
    public void ManyEntries_SplitIntoPagesOfHalfCapacity_ThatHoldTheListInOrder_AndAreEachWrittenOnce()
    {
        var table = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var entries = Enumerable.Range(0, 1_000).Select(i => Entry(i, i % 7)).ToList();
        var list = Store(table, RankingPartition.Load("p", []), entries.Select(Put), out var missed, out var writes);

        Assert.Empty(missed);
        Assert.Equal(10, list.PageCount);
        Assert.Equal(10, writes.Count);
        Assert.All(writes, w => Assert.Equal(TableTransactionActionType.Add, w.ActionType));
        Assert.Contains(RankPage.LastUpper, table.Keys);
        Assert.Equal(
            [.. entries.OrderByDescending(e => e.Value).ThenBy(e => e.AuthorId, StringComparer.Ordinal)],
            list.Entries);
        // Every page's entries are below its upper bound and at or above the page below it.
        var lower = "";
        foreach (var page in table.Values.OrderBy(e => e.RowKey, StringComparer.Ordinal))
        {
            var keys = RankingPartition.Load("p", [page]).Entries.Select(RankPage.EntryKey).ToList();
            Assert.InRange(keys.Count, 1, RankPage.Capacity);
            Assert.All(keys, k => Assert.True(string.CompareOrdinal(k, page.RowKey) < 0 && string.CompareOrdinal(k, lower) >= 0));
            lower = page.RowKey;
        }

        // Moving ten authors up touches only the pages they leave and enter, each once, replaced on its ETag.
        var moves = entries.Take(10).Select(e => RankChange.Ranked(e.AuthorId, [RankPage.EntryKey(e)], [e with { Value = 100 }])).ToList();
        list = Store(table, list, moves, out missed, out writes);
        Assert.Empty(missed);
        Assert.InRange(writes.Count, 2, 8);
        Assert.Equal(writes.Count, writes.Select(w => w.Entity.RowKey).Distinct().Count());
        Assert.Equal(entries.Take(10).Select(e => e.AuthorId).Order(StringComparer.Ordinal), list.Entries.Take(10).Select(e => e.AuthorId));
        Assert.Equal(1_000, list.Entries.Count());
    }

    [Fact]
    public void AMoveWhoseOldEntryIsNotThere_IsMissed_AndWritesNothingForThatAuthor()
    {
        var table = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var list = Store(table, RankingPartition.Load("p", []), [Put(Entry(1, 5)), Put(Entry(2, 3))], out _, out _);

        // Author 1 is moved from a value they no longer have (another instance moved them first).
        list = Store(table, list, [RankChange.Ranked("author-0001", [RankPage.EntryKey(Entry(1, 4))], [Entry(1, 9)]), RankChange.Ranked("author-0002", [RankPage.EntryKey(Entry(2, 3))], [Entry(2, 8)])], out var missed, out _);

        Assert.Equal(["author-0001"], missed);
        Assert.Equal([Entry(2, 8), Entry(1, 5)], list.Entries);
    }

    [Fact]
    public void AMoveWhileTheAuthorStandsUnderAKeyItNeitherRemovesNorPuts_IsMissed_AndChangesNothing()
    {
        // Another instance listed author 1 at 48; this one, which last saw them unlisted, would list them at 51 — a
        // first listing removes nothing, so only where the author stands tells it was overtaken.
        var table = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var list = Store(table, RankingPartition.Load("p", []), [Put(Entry(1, 48)), Put(Entry(2, 50))], out _, out _);

        var after = Store(table, list, [Put(Entry(1, 51)), Put(Entry(3, 49))], out var missed, out _);

        Assert.Equal(["author-0001"], missed);
        Assert.Equal([48L], after.EntriesOf("author-0001").Select(e => e.Value));
        Assert.Equal([49L], after.EntriesOf("author-0003").Select(e => e.Value));

        // A move from where the author stands, or setting the same entry again, is not a conflict.
        var moved = Store(table, after, [RankChange.Ranked("author-0001", [RankPage.EntryKey(Entry(1, 48))], [Entry(1, 51)]), Put(Entry(2, 50))], out var none, out _);
        Assert.Empty(none);
        Assert.Equal([51L], moved.EntriesOf("author-0001").Select(e => e.Value));
    }

    [Fact]
    public void APageThatEmpties_IsDeletedOnItsETag_ButTheLastPageStays()
    {
        var table = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var entries = Enumerable.Range(0, 300).Select(i => Entry(i, i < 100 ? 50 : 1)).ToList();
        var list = Store(table, RankingPartition.Load("p", []), entries.Select(Put), out _, out _);
        Assert.Equal(3, list.PageCount);

        // The best hundred leave the list: the first page goes; then everyone else, and the last page stays, empty.
        list = Store(table, list, entries.Take(100).Select(e => RankChange.Ranked(e.AuthorId, [RankPage.EntryKey(e)], [])), out var missed, out var writes);
        Assert.Empty(missed);
        Assert.Equal([TableTransactionActionType.Delete], writes.Select(w => w.ActionType));
        list = Store(table, list, entries.Skip(100).Select(e => RankChange.Ranked(e.AuthorId, [RankPage.EntryKey(e)], [])), out _, out _);
        Assert.Equal([RankPage.LastUpper], table.Keys);
        Assert.Empty(list.Entries);
    }
}

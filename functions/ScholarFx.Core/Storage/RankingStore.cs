using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ScholarFx.Core.Storage;

/// <summary>
/// A profile's place in one ranking: the figure it is ranked by and what a list shows of it. <c>Since</c>: when the
/// author was first listed (Unix milliseconds; 0 for an author listed before this was kept): ties of a value are ordered
/// by it, so the new authors of a batch, who mostly share the commonest values, land together at the end of their
/// value's run — a few pages written — where ordered by id they fell on a page each.
/// </summary>
public sealed record RankEntry(string AuthorId, string Name, long Value, int PaperCount, string? PrimaryCategory, long Since = 0);

/// <summary>
/// One author's move within a category: their entries by figure before and after. <see cref="Refresh"/>: every entry
/// stays where it stands (the same keys) and only what it shows changes (the paper count, the name); written only
/// where the entry is still there, so a refresh written after a later move of the author cannot list them twice.
/// </summary>
public sealed record RankMove(IReadOnlyDictionary<string, RankEntry> Before, IReadOnlyDictionary<string, RankEntry> After)
{
    /// <summary>Whether the move only changes what the entries show (see the type).</summary>
    public bool Refresh { get; init; }
}

/// <summary>A page of a ranking, best first, and the continuation of the next page.</summary>
public sealed record RankingPage(IReadOnlyList<RankEntry> Entries, string? ContinuationToken);

/// <summary>An author's entries in a category's lists as read, with the versions of the lists they were read from.</summary>
public sealed class RankFound
{
    internal RankFound(string authorId, IReadOnlyList<(string Sort, RankEntry Entry)> entries, IReadOnlyDictionary<string, RankingPartition> lists)
    {
        AuthorId = authorId;
        Entries = entries;
        Lists = lists;
    }

    public string AuthorId { get; }

    /// <summary>The author's entries, by the figure of their list.</summary>
    public IReadOnlyList<(string Sort, RankEntry Entry)> Entries { get; }

    internal IReadOnlyDictionary<string, RankingPartition> Lists { get; }
}

/// <summary>Rankings of profiles, kept as they change so a page of a list is a bounded set of range queries.</summary>
public interface IRankingStore
{
    /// <summary>
    /// Several authors' moves within one category (each author once), each list partition's in one write of the pages
    /// they change. Returns the authors a move could not be applied to because an entry it removes is not there —
    /// another instance moved them first, or an attempt stopped before its move — for the caller to set right from
    /// the author's profile (<see cref="FindAsync"/>, <see cref="ReplaceAsync"/>).
    /// </summary>
    Task<IReadOnlyList<string>> MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken);

    /// <summary>The author's entries in the lists of a category by <paramref name="sorts"/>, read now.</summary>
    Task<RankFound> FindAsync(string category, string authorId, IReadOnlyList<string> sorts, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the author's entries in the category's lists exactly <paramref name="entries"/> (by figure), on the
    /// versions <paramref name="found"/> read; false when a list changed meanwhile (nothing of that list was written).
    /// </summary>
    Task<bool> ReplaceAsync(RankFound found, IReadOnlyDictionary<string, RankEntry> entries, CancellationToken cancellationToken);

    /// <summary>A page of a category's ranking by one figure, best first (ties by author id).</summary>
    Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken);
}

/// <summary>
/// The ranking lists (table <see cref="StorageNames.RankingsTable"/>): a partition per category, figure and one of
/// <see cref="Buckets"/> buckets an author hashes into; within it the list is packed into pages of up to 200 entries
/// (<see cref="RankPage"/>), keyed by their upper bound. A flush of many authors' moves writes each page it changes
/// once, on its ETag, in one transaction per partition — not a row per author and list — and this instance keeps the
/// pages it wrote (<see cref="RankingOptions.CachedMiB"/>), so it reads a list only when another instance changed it.
/// A page of a list is one range query per bucket from the page that holds the cursor, merged by entry key. No
/// partition is hot: the cross-category list and the lists of a one-category corpus are each spread over five figures ×
/// four buckets (docs/scale.md).
/// </summary>
public sealed class RankingStore(ScholarFxStorage storage, IOptions<RankingOptions> options) : IRankingStore
{
    /// <summary>Buckets each list is spread over (changing it needs the lists rebuilt, as <c>Profiles/ListLayout</c> does for older layouts).</summary>
    public const int Buckets = 4;

    private const int Parallelism = 8;

    // A page's cursor: the key of its last entry; the next page starts after it in every bucket.
    private const string AfterToken = "a|";

    private readonly PagedPartitions lists = new(storage.Rankings, () => options.Value.CachedMiB * 1024L * 1024);

    /// <summary>The partition holding <paramref name="authorId"/>'s entry in the list of <paramref name="category"/> by <paramref name="sort"/>.</summary>
    public static string Partition(string category, string sort, string authorId) => Partition(category, sort, Bucket(authorId));

    private static string Partition(string category, string sort, int bucket) =>
        TableKey.Escape(category) + "|" + sort + "|" + bucket.ToString(CultureInfo.InvariantCulture);

    /// <summary>The bucket of an author, from the same hash that partitions papers: the same on every instance.</summary>
    internal static int Bucket(string authorId) => Convert.ToInt32(TableKey.HashPartition(authorId), 16) % Buckets;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken)
    {
        var byPartition = moves.SelectMany(m => m.Refresh ? Refreshes(category, m.After) : Changes(category, m.Before, m.After)).GroupBy(c => c.Partition, c => c.Change, StringComparer.Ordinal).ToList();
        if (byPartition.Count == 0)
        {
            return [];
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var missed = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(byPartition, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            foreach (var authorId in await lists.ApplyAsync(partition.Key, [.. partition], ct).ConfigureAwait(false))
            {
                missed[authorId] = true;
            }
        }).ConfigureAwait(false);
        return [.. missed.Keys.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async Task<RankFound> FindAsync(string category, string authorId, IReadOnlyList<string> sorts, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, RankingPartition>(StringComparer.Ordinal);
        var entries = new List<(string, RankEntry)>();
        foreach (var sort in sorts)
        {
            var list = found[sort] = await lists.LoadAsync(Partition(category, sort, authorId), cancellationToken).ConfigureAwait(false);
            entries.AddRange(list.EntriesOf(authorId).Select(e => (sort, e)));
        }

        return new RankFound(authorId, entries, found);
    }

    /// <inheritdoc/>
    public async Task<bool> ReplaceAsync(RankFound found, IReadOnlyDictionary<string, RankEntry> entries, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var clean = true;
        foreach (var (sort, list) in found.Lists)
        {
            var want = entries.GetValueOrDefault(sort);
            var here = list.EntriesOf(found.AuthorId).ToList();
            var change = RankChange.Ranked(
                found.AuthorId,
                [.. here.Where(e => e != want).Select(RankPage.EntryKey).Where(k => want is null || k != RankPage.EntryKey(want))],
                want is null || here.Contains(want) ? [] : [want]);
            if (change.Removes.Count + change.Puts.Count == 0)
            {
                continue;
            }

            var (writes, stored, _) = list.Apply([change]);
            clean &= await lists.WriteAsync(list.Key, writes, stored, cancellationToken).ConfigureAwait(false);
        }

        return clean;
    }

    private static IEnumerable<(string Partition, RankChange Change)> Changes(string category, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after)
    {
        foreach (var sort in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.GetValueOrDefault(sort);
            var @is = after.GetValueOrDefault(sort);
            var removes = was is not null && (@is is null || RankPage.EntryKey(was) != RankPage.EntryKey(@is)) ? new[] { RankPage.EntryKey(was) } : [];
            var puts = @is is not null && @is != was ? new[] { @is } : [];
            if (removes.Length + puts.Length > 0)
            {
                var authorId = (@is ?? was)!.AuthorId;
                yield return (Partition(category, sort, authorId), RankChange.Ranked(authorId, removes, puts));
            }
        }
    }

    private static IEnumerable<(string Partition, RankChange Change)> Refreshes(string category, IReadOnlyDictionary<string, RankEntry> after)
    {
        foreach (var (sort, entry) in after.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var key = RankPage.EntryKey(entry);
            yield return (Partition(category, sort, entry.AuthorId), new RankChange(entry.AuthorId, [key], [KeyValuePair.Create(key, entry)], IfPresent: true));
        }
    }

    /// <inheritdoc/>
    public async Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        var after = "";
        if (continuationToken is not null)
        {
            if (!continuationToken.StartsWith(AfterToken, StringComparison.Ordinal) || continuationToken.Length > 1_024)
            {
                throw new ArgumentException("Not a ranking cursor.", nameof(continuationToken));
            }

            after = continuationToken[AfterToken.Length..];
            // A cursor from when each entry was a row of its own carries the figure before the entry's key.
            after = after.StartsWith(sort + "|", StringComparison.Ordinal) ? after[(sort.Length + 1)..] : after;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var buckets = await Task.WhenAll(Enumerable.Range(0, Buckets).Select(bucket => lists.ReadAsync(Partition(category, sort, bucket), after, inclusive: false, below: null, top, cancellationToken))).ConfigureAwait(false);

        // Merged best first; more to come when a bucket had more than the page took.
        var entries = buckets.SelectMany(b => b.Entries).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var page = entries.Take(top).ToList();
        var more = entries.Count > top || buckets.Any(b => b.More);
        return new RankingPage(
            [.. page.Select(e => e.Value)],
            more && page.Count > 0 ? AfterToken + page[^1].Key : null);
    }
}

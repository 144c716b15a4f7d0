using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>A profile's place in one ranking: the figure it is ranked by and what a list shows of it.</summary>
public sealed record RankEntry(string AuthorId, string Name, long Value, int PaperCount, string? PrimaryCategory);

/// <summary>One author's move within a category: their entries by figure before and after.</summary>
public sealed record RankMove(IReadOnlyDictionary<string, RankEntry> Before, IReadOnlyDictionary<string, RankEntry> After);

/// <summary>A page of a ranking, best first, and the continuation of the next page.</summary>
public sealed record RankingPage(IReadOnlyList<RankEntry> Entries, string? ContinuationToken);

/// <summary>Rankings of profiles, kept as they change so a list is one range query.</summary>
public interface IRankingStore
{
    /// <summary>
    /// Several authors' moves within one category (each author once), in as few transactions as fit (100 rows of one
    /// partition each), one author's rows of a list never split between two; a transaction that fails is retried
    /// author by author. Returns the authors a move could not be applied to because a row it removes is not there —
    /// another instance moved them first, or an attempt stopped before its move — for the caller to set right from
    /// the author's profile (<see cref="FindAsync"/>, <see cref="ReplaceAsync"/>).
    /// </summary>
    Task<IReadOnlyList<string>> MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken);

    /// <summary>The author's rows in the lists of a category by <paramref name="sorts"/>, with their ETags (a query per list's partition).</summary>
    Task<IReadOnlyList<(string Sort, RankEntry Entry, ETag ETag)>> FindAsync(string category, string authorId, IReadOnlyList<string> sorts, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the author's rows in a category's lists exactly <paramref name="entries"/> (by figure): removes each of
    /// <paramref name="found"/> that is not among them, on its ETag, and writes the missing ones; false when a row
    /// changed meanwhile (nothing of that list was written).
    /// </summary>
    Task<bool> ReplaceAsync(string category, string authorId, IReadOnlyList<(string Sort, RankEntry Entry, ETag ETag)> found, IReadOnlyDictionary<string, RankEntry> entries, CancellationToken cancellationToken);

    /// <summary>A page of a category's ranking by one figure, best first (ties by author id).</summary>
    Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken);
}

/// <summary>
/// The ranking lists (table <see cref="StorageNames.RankingsTable"/>): a partition per category, figure and one of
/// <see cref="Buckets"/> buckets an author hashes into, one row per ranked profile keyed
/// <c>{figure}|{inverted value}|{author id}</c>. No partition is hot: the cross-category list, which every profile is
/// in, and the list of a one-category corpus are each spread over four figures × four buckets, so at the measured
/// entity writes a paper no partition caps a deployment below about 1,400 papers/s (docs/scale.md). An author's rows
/// of one list share a partition, so a move within a list (delete the old row, write the new) is one transaction and
/// a list never shows an author twice. A page is one range query per bucket, merged by row key: a bounded set of
/// queries whatever the list's length.
/// </summary>
public sealed class RankingStore(ScholarFxStorage storage) : IRankingStore
{
    /// <summary>Buckets each list is spread over (changing it needs the lists rebuilt, as <c>Profiles/RankingLayout</c> does for the older layout).</summary>
    public const int Buckets = 4;

    // Figures up to 10^15 (citation sums) fit; the inverted value sorts best first.
    private const long Ceiling = 999_999_999_999_999;
    private const int MaxActions = 100;
    private const int Parallelism = 8;

    // A page's cursor: the row key of its last entry; the next page starts after it in every bucket.
    private const string AfterToken = "a|";

    /// <summary>The row key of an entry in the ranking by <paramref name="sort"/>.</summary>
    public static string RowKey(string sort, RankEntry entry) =>
        sort + "|" + (Ceiling - Math.Clamp(entry.Value, 0, Ceiling)).ToString("D15", CultureInfo.InvariantCulture) + "|" + TableKey.Escape(entry.AuthorId);

    /// <summary>The partition holding <paramref name="authorId"/>'s row in the list of <paramref name="category"/> by <paramref name="sort"/>.</summary>
    public static string Partition(string category, string sort, string authorId) => Partition(category, sort, Bucket(authorId));

    private static string Partition(string category, string sort, int bucket) =>
        TableKey.Escape(category) + "|" + sort + "|" + bucket.ToString(CultureInfo.InvariantCulture);

    /// <summary>The bucket of an author, from the same hash that partitions papers: the same on every instance.</summary>
    internal static int Bucket(string authorId) => Convert.ToInt32(TableKey.HashPartition(authorId), 16) % Buckets;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken)
    {
        // Each author's actions of one partition stay together (a list's delete and write are one transaction).
        var byPartition = moves.SelectMany(m => Actions(category, m.Before, m.After)).GroupBy(a => a.Partition, StringComparer.Ordinal).ToList();
        var missed = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        if (byPartition.Count == 0)
        {
            return [];
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(byPartition, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            var chunk = new List<AuthorActions>();
            foreach (var author in partition)
            {
                if (chunk.Sum(a => a.Count) + author.Count > MaxActions)
                {
                    await SubmitAsync(chunk, missed, ct).ConfigureAwait(false);
                    chunk.Clear();
                }

                chunk.Add(author);
            }

            await SubmitAsync(chunk, missed, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return [.. missed.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>One author's delete and write in one partition.</summary>
    private sealed record AuthorActions(string AuthorId, string Partition, List<TableTransactionAction> Deletes, List<TableTransactionAction> Upserts)
    {
        public int Count => Deletes.Count + Upserts.Count;
    }

    private async Task SubmitAsync(List<AuthorActions> chunk, System.Collections.Concurrent.ConcurrentDictionary<string, bool> missed, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        try
        {
            await storage.Rankings.SubmitTransactionAsync([.. chunk.SelectMany(a => a.Deletes.Concat(a.Upserts))], cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException)
        {
            // One author's old row missing fails them all: each on its own, and the ones whose row is missing are
            // left to the caller (their move may be older than one another instance already wrote).
            foreach (var author in chunk)
            {
                try
                {
                    await storage.Rankings.SubmitTransactionAsync([.. author.Deletes, .. author.Upserts], cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException e) when (e.Status == 404)
                {
                    missed[author.AuthorId] = true;
                }
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(string Sort, RankEntry Entry, ETag ETag)>> FindAsync(string category, string authorId, IReadOnlyList<string> sorts, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<(string, RankEntry, ETag)>();
        foreach (var sort in sorts)
        {
            // Within one partition (a list's bucket): the author's rows, wherever their value put them.
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(category, sort, authorId)} and AuthorId eq {authorId}");
            await foreach (var row in storage.Rankings.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                found.Add((sort, FromRow(row), row.ETag));
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public async Task<bool> ReplaceAsync(string category, string authorId, IReadOnlyList<(string Sort, RankEntry Entry, ETag ETag)> found, IReadOnlyDictionary<string, RankEntry> entries, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var clean = true;
        foreach (var sort in found.Select(f => f.Sort).Union(entries.Keys).Order(StringComparer.Ordinal))
        {
            var partition = Partition(category, sort, authorId);
            var want = entries.GetValueOrDefault(sort);
            var wantKey = want is null ? null : RowKey(sort, want);
            var here = found.Where(f => f.Sort == sort).ToList();
            // Rows under another key go (on their ETags); the wanted row is written unless it is there as wanted — a row
            // under its key that shows other figures is replaced on its ETag, never deleted and written in one batch.
            var actions = here.Where(f => RowKey(sort, f.Entry) != wantKey)
                .Select(f => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, RowKey(sort, f.Entry)), f.ETag)).ToList();
            if (want is not null && !here.Any(f => f.Entry == want))
            {
                actions.Add(here.FirstOrDefault(f => RowKey(sort, f.Entry) == wantKey) is { Entry: not null } stale
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, Row(partition, sort, want), stale.ETag)
                    : new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, sort, want)));
            }

            if (actions.Count == 0)
            {
                continue;
            }

            try
            {
                await storage.Rankings.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                clean = false;
            }
        }

        return clean;
    }

    private static TableEntity Row(string partition, string sort, RankEntry entry) => new(partition, RowKey(sort, entry))
    {
        ["AuthorId"] = entry.AuthorId,
        ["Name"] = entry.Name,
        ["Value"] = entry.Value,
        ["PaperCount"] = entry.PaperCount,
        ["PrimaryCategory"] = entry.PrimaryCategory,
    };

    private static RankEntry FromRow(TableEntity e) =>
        new(e.GetString("AuthorId"), e.GetString("Name") ?? "", e.GetInt64("Value") ?? 0, e.GetInt32("PaperCount") ?? 0, e.GetString("PrimaryCategory"));

    private static IEnumerable<AuthorActions> Actions(string category, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after)
    {
        foreach (var sort in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.GetValueOrDefault(sort);
            var @is = after.GetValueOrDefault(sort);
            var partition = Partition(category, sort, (@is ?? was)!.AuthorId);
            var deletes = new List<TableTransactionAction>();
            var upserts = new List<TableTransactionAction>();
            if (was is not null && (@is is null || RowKey(sort, was) != RowKey(sort, @is)))
            {
                deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, RowKey(sort, was)), ETag.All));
            }

            if (@is is not null && @is != was)
            {
                upserts.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, sort, @is)));
            }

            if (deletes.Count + upserts.Count > 0)
            {
                yield return new AuthorActions((@is ?? was)!.AuthorId, partition, deletes, upserts);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        string? after = null;
        if (continuationToken is not null)
        {
            if (!continuationToken.StartsWith(AfterToken, StringComparison.Ordinal) || continuationToken.Length > 1_024)
            {
                throw new ArgumentException("Not a ranking cursor.", nameof(continuationToken));
            }

            after = continuationToken[AfterToken.Length..];
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var low = sort + "|";
        var pages = await Task.WhenAll(Enumerable.Range(0, Buckets).Select(bucket =>
        {
            var partition = Partition(category, sort, bucket);
            var filter = after is null
                ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey lt {TableKey.PrefixUpperBound(low)}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and RowKey lt {TableKey.PrefixUpperBound(low)}");
            return TablePages.FirstWithRowsAsync(storage.Rankings.QueryAsync<TableEntity>(filter, top, cancellationToken: cancellationToken), null, top);
        })).ConfigureAwait(false);

        // Merged best first; more to come when a bucket had more than the page took.
        var rows = pages.SelectMany(p => p.Rows).OrderBy(e => e.RowKey, StringComparer.Ordinal).ToList();
        var page = rows.Take(top).ToList();
        var more = rows.Count > top || pages.Any(p => p.ContinuationToken is not null);
        return new RankingPage(
            [.. page.Select(FromRow)],
            more && page.Count > 0 ? AfterToken + page[^1].RowKey : null);
    }
}

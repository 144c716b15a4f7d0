using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
    /// Moves an author within the rankings of one category (each figure's list atomically): removes the old rows,
    /// writes the new ones; <paramref name="before"/> and <paramref name="after"/> map a figure to its entry.
    /// </summary>
    Task MoveAsync(string category, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after, CancellationToken cancellationToken);

    /// <summary>
    /// Several authors' moves within one category (each author once), in as few transactions as fit (100 rows of one
    /// partition each), one author's rows of a list never split between two; a transaction that fails is retried
    /// author by author.
    /// </summary>
    Task MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken);

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

    /// <summary>The bucket of an author: the same on every instance.</summary>
    internal static int Bucket(string authorId) => SHA256.HashData(Encoding.UTF8.GetBytes(authorId))[0] % Buckets;

    /// <inheritdoc/>
    public async Task MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken)
    {
        // Each author's actions of one partition stay together (a list's delete and write are one transaction).
        var byPartition = moves.SelectMany(m => Actions(category, m.Before, m.After)).GroupBy(a => a.Partition, StringComparer.Ordinal).ToList();
        if (byPartition.Count == 0)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(byPartition, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            var chunk = new List<AuthorActions>();
            foreach (var author in partition)
            {
                if (chunk.Sum(a => a.Count) + author.Count > MaxActions)
                {
                    await SubmitAsync(chunk, ct).ConfigureAwait(false);
                    chunk.Clear();
                }

                chunk.Add(author);
            }

            await SubmitAsync(chunk, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task MoveAsync(string category, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after, CancellationToken cancellationToken) =>
        MoveManyAsync(category, [new RankMove(before, after)], cancellationToken);

    /// <summary>One author's delete and write in one partition.</summary>
    private sealed record AuthorActions(string Partition, List<TableTransactionAction> Deletes, List<TableTransactionAction> Upserts)
    {
        public int Count => Deletes.Count + Upserts.Count;
    }

    private async Task SubmitAsync(List<AuthorActions> chunk, CancellationToken cancellationToken)
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
            // One author's old row missing (a stopped attempt) fails them all: each on its own.
            foreach (var author in chunk)
            {
                await SubmitAloneAsync(author, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SubmitAloneAsync(AuthorActions author, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Rankings.SubmitTransactionAsync([.. author.Deletes, .. author.Upserts], cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && author.Upserts.Count > 0)
        {
            // An old row was never written (an attempt that stopped after the profile, before its ranking): the new
            // one alone; an old row that is there stays until the author's next change (a repair rewrites them all).
            await storage.Rankings.SubmitTransactionAsync(author.Upserts, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Only a delete, and the row was already gone: nothing left to do.
        }
    }

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
                upserts.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(sort, @is))
                {
                    ["AuthorId"] = @is.AuthorId,
                    ["Name"] = @is.Name,
                    ["Value"] = @is.Value,
                    ["PaperCount"] = @is.PaperCount,
                    ["PrimaryCategory"] = @is.PrimaryCategory,
                }));
            }

            if (deletes.Count + upserts.Count > 0)
            {
                yield return new AuthorActions(partition, deletes, upserts);
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
            [.. page.Select(e => new RankEntry(e.GetString("AuthorId"), e.GetString("Name") ?? "", e.GetInt64("Value") ?? 0, e.GetInt32("PaperCount") ?? 0, e.GetString("PrimaryCategory")))],
            more && page.Count > 0 ? AfterToken + page[^1].RowKey : null);
    }
}

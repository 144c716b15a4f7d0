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
    /// Moves an author within the rankings of one category (every figure at once, atomically): removes the old rows,
    /// writes the new ones; <paramref name="before"/> and <paramref name="after"/> map a figure to its entry.
    /// </summary>
    Task MoveAsync(string category, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after, CancellationToken cancellationToken);

    /// <summary>
    /// Several authors' moves within one category (each author once), in as few transactions as fit (100 rows each),
    /// one author's rows never split between two; a transaction that fails is retried author by author.
    /// </summary>
    Task MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken);

    /// <summary>A page of a category's ranking by one figure, best first (ties by author id).</summary>
    Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken);
}

/// <summary>
/// The Rankings table: one partition per category (and one for all), one row per ranked profile and figure keyed
/// <c>{figure}|{inverted value}|{author id}</c>, so a figure's rows read best first. Every figure of a profile lives in
/// the partition of its category, so a profile's change is one entity-group transaction per category (delete the old
/// rows, write the new): a list never shows an author twice, and a change costs two requests whatever it moves.
/// </summary>
public sealed class RankingStore(ScholarFxStorage storage) : IRankingStore
{
    // Figures up to 10^15 (citation sums) fit; the inverted value sorts best first.
    private const long Ceiling = 999_999_999_999_999;

    /// <summary>The row key of an entry in the ranking by <paramref name="sort"/>.</summary>
    public static string RowKey(string sort, RankEntry entry) =>
        sort + "|" + (Ceiling - Math.Clamp(entry.Value, 0, Ceiling)).ToString("D15", CultureInfo.InvariantCulture) + "|" + TableKey.Escape(entry.AuthorId);

    private const int MaxActions = 100;

    /// <inheritdoc/>
    public async Task MoveManyAsync(string category, IReadOnlyList<RankMove> moves, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(category);
        var chunk = new List<TableTransactionAction>();
        var inChunk = new List<RankMove>();
        async Task FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await storage.Rankings.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException)
            {
                // One author's old row missing (a stopped attempt) fails them all: each on its own.
                foreach (var move in inChunk)
                {
                    await MoveAsync(category, move.Before, move.After, cancellationToken).ConfigureAwait(false);
                }
            }

            chunk.Clear();
            inChunk.Clear();
        }

        foreach (var move in moves)
        {
            var (deletes, upserts) = Actions(partition, move.Before, move.After);
            if (chunk.Count + deletes.Count + upserts.Count > MaxActions)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            chunk.AddRange([.. deletes, .. upserts]);
            inChunk.Add(move);
        }

        await FlushAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task MoveAsync(string category, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after, CancellationToken cancellationToken)
    {
        var (deletes, upserts) = Actions(TableKey.Escape(category), before, after);
        if (deletes.Count + upserts.Count == 0)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await storage.Rankings.SubmitTransactionAsync([.. deletes, .. upserts], cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && upserts.Count > 0)
        {
            // An old row was never written (an attempt that stopped after the profile, before its ranking): the new
            // ones alone; an old row that is there stays until the author's next change (a repair rewrites them all).
            await storage.Rankings.SubmitTransactionAsync(upserts, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Only deletes, and a row was already gone: nothing left to do.
        }
    }

    private static (List<TableTransactionAction> Deletes, List<TableTransactionAction> Upserts) Actions(
        string partition, IReadOnlyDictionary<string, RankEntry> before, IReadOnlyDictionary<string, RankEntry> after)
    {
        var afterKeys = after.Select(a => RowKey(a.Key, a.Value)).ToHashSet(StringComparer.Ordinal);
        var deletes = before.Select(b => RowKey(b.Key, b.Value)).Where(k => !afterKeys.Contains(k))
            .Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)).ToList();
        var upserts = after.Where(a => !before.TryGetValue(a.Key, out var was) || was != a.Value)
            .Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(a.Key, a.Value))
            {
                ["AuthorId"] = a.Value.AuthorId,
                ["Name"] = a.Value.Name,
                ["Value"] = a.Value.Value,
                ["PaperCount"] = a.Value.PaperCount,
                ["PrimaryCategory"] = a.Value.PrimaryCategory,
            })).ToList();
        return (deletes, upserts);
    }

    /// <inheritdoc/>
    public async Task<RankingPage> GetPageAsync(string category, string sort, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var low = sort + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(category)} and RowKey ge {low} and RowKey lt {TableKey.PrefixUpperBound(low)}");
        var (rows, next) = await TablePages.FirstWithRowsAsync(storage.Rankings.QueryAsync<TableEntity>(filter, top, cancellationToken: cancellationToken), continuationToken, top).ConfigureAwait(false);
        return new RankingPage(
            [.. rows.Select(e => new RankEntry(e.GetString("AuthorId"), e.GetString("Name") ?? "", e.GetInt64("Value") ?? 0, e.GetInt32("PaperCount") ?? 0, e.GetString("PrimaryCategory")))],
            next);
    }
}

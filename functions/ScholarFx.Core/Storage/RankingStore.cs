using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>A profile's place in one ranking: the figure it is ranked by and what a list shows of it.</summary>
public sealed record RankEntry(string AuthorId, string Name, long Value, int PaperCount, string? PrimaryCategory);

/// <summary>A page of a ranking, best first, and the continuation of the next page.</summary>
public sealed record RankingPage(IReadOnlyList<RankEntry> Entries, string? ContinuationToken);

/// <summary>Rankings of profiles, kept as they change so a list is one partition query.</summary>
public interface IRankingStore
{
    /// <summary>Moves an author within one ranking: removes their old row (if any), writes the new one (if any), atomically.</summary>
    Task MoveAsync(string ranking, RankEntry? before, RankEntry? after, CancellationToken cancellationToken);

    /// <summary>A page of a ranking, best first (ties by author id).</summary>
    Task<RankingPage> GetPageAsync(string ranking, string? continuationToken, int top, CancellationToken cancellationToken);
}

/// <summary>
/// The Rankings table: one partition per ranking (<c>{category or "all"}|{figure}</c>), one row per ranked profile
/// keyed <c>{inverted figure}|{author id}</c>, so the partition reads best first. A change of a profile's figure is
/// one transaction in the partition (delete the old row, write the new), so a list never shows an author twice.
/// </summary>
public sealed class RankingStore(ScholarFxStorage storage) : IRankingStore
{
    // Figures up to 10^15 (citation sums) fit; the inverted value sorts best first.
    private const long Ceiling = 999_999_999_999_999;

    /// <summary>The row key of an entry.</summary>
    public static string RowKey(RankEntry entry) =>
        (Ceiling - Math.Clamp(entry.Value, 0, Ceiling)).ToString("D15", CultureInfo.InvariantCulture) + "|" + TableKey.Escape(entry.AuthorId);

    /// <inheritdoc/>
    public async Task MoveAsync(string ranking, RankEntry? before, RankEntry? after, CancellationToken cancellationToken)
    {
        if (before == after)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(ranking);
        var actions = new List<TableTransactionAction>();
        var afterKey = after is null ? null : RowKey(after);
        if (before is not null && RowKey(before) != afterKey)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, RowKey(before)), ETag.All));
        }

        if (after is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, afterKey)
            {
                ["AuthorId"] = after.AuthorId,
                ["Name"] = after.Name,
                ["Value"] = after.Value,
                ["PaperCount"] = after.PaperCount,
                ["PrimaryCategory"] = after.PrimaryCategory,
            }));
        }

        try
        {
            await storage.Rankings.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // The old row was never written (an attempt that stopped after the profile, before its ranking): the new
            // one alone.
            await storage.Rankings.SubmitTransactionAsync(actions.Where(a => a.ActionType != TableTransactionActionType.Delete), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<RankingPage> GetPageAsync(string ranking, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(ranking)}");
        var (rows, next) = await TablePages.FirstWithRowsAsync(storage.Rankings.QueryAsync<TableEntity>(filter, top, cancellationToken: cancellationToken), continuationToken, top).ConfigureAwait(false);
        return new RankingPage(
            [.. rows.Select(e => new RankEntry(e.GetString("AuthorId"), e.GetString("Name") ?? "", e.GetInt64("Value") ?? 0, e.GetInt32("PaperCount") ?? 0, e.GetString("PrimaryCategory")))],
            next);
    }
}

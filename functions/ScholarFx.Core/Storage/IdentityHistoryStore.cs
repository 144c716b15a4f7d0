using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>A page of a profile's identity history, newest first, and the continuation of the next (null at the end).</summary>
public sealed record IdentityHistoryPage(IReadOnlyList<IdentityChange> Entries, string? ContinuationToken);

/// <summary>The identity history as stored (see <see cref="IdentityHistoryStore"/>).</summary>
public interface IIdentityHistoryStore
{
    /// <summary>Appends <paramref name="change"/> to the history of each of its profiles; returns it with its id.</summary>
    Task<IdentityChange> AppendAsync(IdentityChange change, CancellationToken cancellationToken);

    /// <summary>A page of a profile's history, newest first.</summary>
    Task<IdentityHistoryPage> GetPageAsync(string profileId, string? continuationToken, int top, CancellationToken cancellationToken);

    /// <summary>The entry with this id, or null (also for an id that is not one).</summary>
    Task<IdentityChange?> GetAsync(string entryId, CancellationToken cancellationToken);

    /// <summary>Marks the entry as being reverted; false when it already is (or was): of two reverts at once, one gets it.</summary>
    Task<bool> TryClaimRevertAsync(IdentityChange entry, CancellationToken cancellationToken);

    /// <summary>Records the revert entry that undid the entry claimed; null takes the claim back (the revert failed).</summary>
    Task SetRevertedByAsync(IdentityChange entry, string? revertId, CancellationToken cancellationToken);
}

/// <summary>
/// The <c>IdentityHistory</c> table: a partition per profile id, a row per entry keyed by inverted time (newest first, so
/// a page is a partition query in key order and paging wraps the table's continuation) plus a random suffix. An entry
/// concerning several profiles (a merge, a move between two) is one row in each, under one row key. An entry's id is
/// <c>{row key}@{profile}</c>: the row in the first profile's partition. Appended only when an identity decision changed
/// something — never per paper of a name without an identity — so the ingest write path pays nothing for names that
/// have none. Before/after values that outgrow a property go to a blob (<see cref="LargeText"/>).
/// </summary>
public sealed class IdentityHistoryStore(ScholarFxStorage storage, LargeText largeText, TimeProvider clock) : IIdentityHistoryStore
{
    /// <summary>Papers listed in one entry; <see cref="IdentityChange.PapersMoved"/> counts them all.</summary>
    public const int MaxPapers = 100;

    private const int Parallelism = 8;

    // What RevertedBy says while a revert is under way.
    private const string Pending = "pending";

    /// <inheritdoc/>
    public async Task<IdentityChange> AppendAsync(IdentityChange change, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var profiles = change.Profiles.Distinct(StringComparer.Ordinal).ToList();
        var rowKey = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.Ticks - clock.GetUtcNow().Ticks:D19}-{Guid.NewGuid():N}")[..32];
        var entry = change with { Id = rowKey + "@" + profiles[0], Profiles = profiles, Papers = [.. change.Papers.Take(MaxPapers)] };
        var before = await largeText.StoreAsync("history", JsonSerializer.Serialize(entry.Before, ScholarFxJson.Options), cancellationToken).ConfigureAwait(false);
        var after = await largeText.StoreAsync("history", JsonSerializer.Serialize(entry.After, ScholarFxJson.Options), cancellationToken).ConfigureAwait(false);
        // Every profile, however many a merge names: a revert marks each copy.
        var all = await largeText.StoreAsync("history", JsonSerializer.Serialize(profiles, ScholarFxJson.Options), cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(profiles, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (profile, ct) =>
            await storage.IdentityHistory.UpsertEntityAsync(ToEntity(profile, rowKey, entry, before, after, all), TableUpdateMode.Replace, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return entry;
    }

    /// <inheritdoc/>
    public async Task<IdentityHistoryPage> GetPageAsync(string profileId, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var query = storage.IdentityHistory.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(profileId)}"), top, cancellationToken: cancellationToken);
        var (rows, next) = await TablePages.FirstWithRowsAsync(query, continuationToken, top).ConfigureAwait(false);
        var entries = new List<IdentityChange>(rows.Count);
        foreach (var row in rows)
        {
            entries.Add(await FromEntityAsync(row, cancellationToken).ConfigureAwait(false));
        }

        return new IdentityHistoryPage(entries, next);
    }

    /// <inheritdoc/>
    public async Task<IdentityChange?> GetAsync(string entryId, CancellationToken cancellationToken) =>
        await ReadAsync(entryId, cancellationToken).ConfigureAwait(false) is { } row ? await FromEntityAsync(row, cancellationToken).ConfigureAwait(false) : null;

    /// <inheritdoc/>
    public async Task<bool> TryClaimRevertAsync(IdentityChange entry, CancellationToken cancellationToken)
    {
        if (await ReadAsync(entry.Id, cancellationToken).ConfigureAwait(false) is not { } first || first.GetString("RevertedBy") is { Length: > 0 })
        {
            return false;
        }

        // The first profile's row decides, on its ETag.
        try
        {
            await storage.IdentityHistory.UpdateEntityAsync(new TableEntity(first.PartitionKey, first.RowKey) { ["RevertedBy"] = Pending }, first.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task SetRevertedByAsync(IdentityChange entry, string? revertId, CancellationToken cancellationToken)
    {
        // "" reads as none: a merge cannot remove a property.
        var rowKey = entry.Id[..entry.Id.IndexOf('@', StringComparison.Ordinal)];
        await Parallel.ForEachAsync(entry.Profiles, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (profile, ct) =>
            await storage.IdentityHistory.UpsertEntityAsync(new TableEntity(TableKey.Escape(profile), rowKey) { ["RevertedBy"] = revertId ?? "" }, TableUpdateMode.Merge, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task<TableEntity?> ReadAsync(string entryId, CancellationToken cancellationToken)
    {
        var at = entryId.IndexOf('@', StringComparison.Ordinal);
        if (at != 32 || at == entryId.Length - 1 || !entryId[..at].All(c => char.IsAsciiHexDigitLower(c) || c == '-'))
        {
            return null;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.IdentityHistory.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(entryId[(at + 1)..]), entryId[..at], cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    private static TableEntity ToEntity(string profile, string rowKey, IdentityChange entry, string before, string after, string profiles) => new(TableKey.Escape(profile), rowKey)
    {
        ["EntryId"] = entry.Id,
        ["Kind"] = entry.Kind,
        ["Time"] = entry.Time,
        ["Source"] = Cut(entry.Source),
        ["Curator"] = entry.Curator,
        ["Profiles"] = profiles,
        ["Name"] = entry.Name,
        ["Orcid"] = entry.Orcid,
        ["Before"] = before,
        ["After"] = after,
        ["Papers"] = JsonSerializer.Serialize(entry.Papers, ScholarFxJson.Options),
        ["PapersMoved"] = entry.PapersMoved,
        ["RevertOf"] = entry.RevertOf,
    };

    private async Task<IdentityChange> FromEntityAsync(TableEntity e, CancellationToken cancellationToken) => new()
    {
        Id = e.GetString("EntryId") ?? "",
        Kind = e.GetString("Kind") ?? "",
        Time = e.GetDateTimeOffset("Time") ?? DateTimeOffset.UnixEpoch,
        Source = e.GetString("Source") ?? "",
        Curator = e.GetString("Curator"),
        Profiles = JsonSerializer.Deserialize<List<string>>(await largeText.LoadAsync(e.GetString("Profiles"), cancellationToken).ConfigureAwait(false) is { Length: > 0 } profiles ? profiles : "[]", ScholarFxJson.Options) ?? [],
        Name = e.GetString("Name"),
        Orcid = e.GetString("Orcid"),
        Before = await ValuesAsync(e.GetString("Before"), cancellationToken).ConfigureAwait(false),
        After = await ValuesAsync(e.GetString("After"), cancellationToken).ConfigureAwait(false),
        Papers = JsonSerializer.Deserialize<List<string>>(e.GetString("Papers") ?? "[]", ScholarFxJson.Options) ?? [],
        PapersMoved = e.GetInt32("PapersMoved") ?? 0,
        RevertOf = e.GetString("RevertOf"),
        RevertedBy = e.GetString("RevertedBy") is { Length: > 0 } by ? by : null,
    };

    private async Task<IReadOnlyDictionary<string, string?>> ValuesAsync(string? stored, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(await largeText.LoadAsync(stored, cancellationToken).ConfigureAwait(false) is { Length: > 0 } json ? json : "{}", ScholarFxJson.Options)
            ?? [];

    private static string Cut(string text) => text.Length > 1_000 ? text[..1_000] : text;
}

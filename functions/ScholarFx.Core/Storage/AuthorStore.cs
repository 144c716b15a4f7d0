using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Storage;

/// <summary>A change to one author's paper rows: the row to write (null for none) and rows to remove.</summary>
public sealed record AuthorRowChange(string AuthorId, AuthorPaper? Upsert, string? DeleteRowKey);

/// <summary>A page of an author's papers, newest first, and the continuation token of the next page.</summary>
public sealed record AuthorPapersPage(IReadOnlyList<AuthorPaper> Papers, string? ContinuationToken);


/// <summary>
/// The aggregate row: figures, the rendered first page of the profile, its HTTP ETag, and the ledger — every paper row
/// of the author, so the next change is applied without reading the partition (null when the author has too many papers
/// to keep one in the row, or the row was written before ledgers existed).
/// </summary>
public sealed record StoredAggregate(string AuthorId, string Name, string ProfileJson, string ContentTag, int PaperCount, string? PrimaryCategory, ETag ETag)
{
    public IReadOnlyList<AuthorPaper>? Ledger { get; init; }

    /// <summary>The RowKey it was read from (an older row may use the legacy key); null for one not yet stored.</summary>
    public string? RowKey { get; init; }

    /// <summary>The figures the author is ranked by (null for a row written before rankings).</summary>
    public RankedFigures? Ranked { get; init; }

    /// <summary>Read from the layout before buckets (<see cref="LegacyAuthors"/>): the next commit moves the author to its bucket.</summary>
    public bool Legacy { get; init; }
}

/// <summary>One author's commit among many (<see cref="IAuthorStore.TryCommitManyAsync"/>): as the arguments of <see cref="IAuthorStore.TryCommitAsync"/>.</summary>
public sealed record AuthorCommit(string AuthorId, IReadOnlyList<AuthorRowChange> Changes, StoredAggregate? Aggregate, StoredAggregate? Expected);

/// <summary>
/// What a profile is ranked by in the lists of <c>GET /api/profiles?sort=</c>, and since when it is listed (Unix
/// milliseconds; 0 when listed before this was kept): the order of ties (<see cref="RankEntry.Since"/>).
/// </summary>
public sealed record RankedFigures(int HIndex, long Citations, int? Novelty, int? AiScore, int? Pioneer = null, long Since = 0);

/// <summary>A name-index hit.</summary>
public sealed record NameHit(string Id, string Name, int PaperCount, string? PrimaryCategory);

/// <summary>Authors' partitions (paper rows and the aggregate row) and the name index.</summary>
public interface IAuthorStore
{
    Task<AuthorPapersPage> GetPapersPageAsync(string authorId, string? continuationToken, int top, CancellationToken cancellationToken);
    /// <summary>Every paper of the author, newest first: the ledger, or a partition query for an author whose papers are kept as rows.</summary>
    Task<IReadOnlyList<AuthorPaper>> ReadPapersAsync(string authorId, CancellationToken cancellationToken);
    /// <summary>
    /// The author's aggregate row, or null; <paramref name="legacyKey"/> false skips the second read under the row key
    /// aggregates had before it was made unique (for an account that never held one: <see cref="StatsStore.HasUniqueAggregateKeysAsync"/>).
    /// </summary>
    Task<StoredAggregate?> GetAggregateAsync(string authorId, CancellationToken cancellationToken, bool legacyKey = true);

    /// <summary>
    /// <see cref="GetAggregateAsync"/> for many authors (those without an aggregate are left out): where many of them
    /// share a bucket, the rows between the first and the last of them are read with a query, a page at a time, for as
    /// long as those rows are mostly wanted; the rest are read one by one.
    /// </summary>
    Task<IReadOnlyDictionary<string, StoredAggregate>> GetAggregatesAsync(IReadOnlyCollection<string> authorIds, CancellationToken cancellationToken, bool legacyKey = true);

    /// <summary>The rendered profile and its content tag alone (what a GET serves), or null: the ledger is not read.</summary>
    Task<(string Json, string ContentTag)?> GetProfileJsonAsync(string authorId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an author's paper-row changes and the new aggregate (null: delete it) in one transaction of the author's
    /// partition, on condition that the aggregate is unchanged since <paramref name="expected"/> was read (null: that none
    /// exists); null when another writer got there first (nothing was written), else the new aggregate's ETag (default
    /// when deleted or not given). An author's paper rows are never stored while the author has no aggregate row, so a
    /// writer that finds none knows the partition holds no rows.
    /// </summary>
    Task<ETag?> TryCommitAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, StoredAggregate? aggregate, StoredAggregate? expected, CancellationToken cancellationToken);

    /// <summary>
    /// Many authors' commits, each as <see cref="TryCommitAsync"/> would make it (the same conditions, the same answer
    /// per commit, in order), but the aggregates of one bucket share transactions: a round of a thousand authors costs
    /// about one request per bucket. A transaction that fails its conditions is retried commit by commit, so one lost
    /// race costs only its own commit.
    /// </summary>
    Task<IReadOnlyList<ETag?>> TryCommitManyAsync(IReadOnlyList<AuthorCommit> commits, CancellationToken cancellationToken);

    /// <summary>
    /// Moves every author still in the layout before buckets into its bucket and deletes the older table (run by the
    /// first settling after an upgrade, under its lease); how many authors were moved (0 when there was nothing to move).
    /// </summary>
    Task<int> MoveLegacyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes the name-index rows of these authors (one per word of the name and of the id): the rows of one index
    /// partition go in one transaction, so a batch's new authors cost about one request per partition they touch.
    /// </summary>
    Task IndexNamesAsync(IReadOnlyCollection<NameHit> authors, CancellationToken cancellationToken);

    /// <summary>
    /// Every profile's ranked figures and what a list shows of it (no ledger, no rendered profile): a scan of the
    /// aggregate rows, to rebuild the ranking lists.
    /// </summary>
    IAsyncEnumerable<StoredAggregate> ScanRankedAsync(CancellationToken cancellationToken);

    /// <summary>Every rendered profile, one table page at a time (a scan of the aggregate rows, for the bulk export).</summary>
    IAsyncEnumerable<string> ScanProfilesAsync(CancellationToken cancellationToken);
    Task<(IReadOnlyList<NameHit> Hits, string? ContinuationToken)> FindByTokenPrefixAsync(string token, string? continuationToken, int top, CancellationToken cancellationToken);
}

/// <summary>
/// Authors table: authors in <see cref="AuthorKeys.Buckets"/> hashed partitions (<see cref="AuthorKeys"/>), so many
/// authors' commits share transactions. The aggregate row <c>a_{author id}</c> holds the rendered profile and, while
/// they fit (about 1,500 papers), every paper of the author (the ledger): then it is the author's only row, and a paper
/// costs its authors one entity write each — a fraction of a request, since a bucket's writes go together. An author
/// whose papers do not fit has a paper row per paper, RowKey <see cref="AuthorKeys.PaperPrefix"/> +
/// <c>p_{99999999 − yyyymmdd}_{paper id}</c> (<c>r_…</c> when retracted), so a range query returns newest first.
/// Authors still in the layout before buckets are read there and moved on their next commit (<see cref="LegacyAuthors"/>).
/// The name index is kept by <see cref="NameIndex"/> (pages of word + author id entries, a partition per word's first two letters).
/// </summary>
public sealed class AuthorStore(ScholarFxStorage storage, Microsoft.Extensions.Options.IOptions<RankingOptions> options) : IAuthorStore
{
    private readonly NameIndex names = new(storage, () => options.Value.CachedMiB * 1024L * 1024);
    private readonly LegacyAuthors legacy = new(storage);

    /// <summary>
    /// RowKey of an author's aggregate row, unique per author: the emulator finds an entity through its RowKey index
    /// first, so one RowKey shared by every author's aggregate made each aggregate read scan all of them.
    /// </summary>
    public static string AggregateRowKey(string authorId) => "a_" + TableKey.Escape(authorId);

    /// <summary>Authors listed per paper row; the profile shows the count of the rest.</summary>
    public const int AuthorsPerRow = 20;

    private const string PaperRowPrefix = "p_";
    private const string RetractedRowPrefix = "r_";
    private const int MaxProfileChunks = 15;

    // The ledger shares the 1 MiB entity with the profile: at most 20 chunks of 30K characters (about 1,500 papers).
    private const int MaxLedgerChunks = 20;

    // Transactions of a TryCommitManyAsync in flight at once.
    private const int CommitParallelism = 8;

    /// <summary>The prefix of a paging token that starts at a row key (the first page's next link) rather than a service continuation.</summary>
    public const string RowKeyToken = "k|";

    /// <summary>RowKey of an author's row for a paper: inverted date then id, so rows sort newest first.</summary>
    public static string PaperRowKey(DateOnly published, string paperId)
    {
        var inverted = 99_999_999 - ((published.Year * 10_000) + (published.Month * 100) + published.Day);
        return PaperRowPrefix + inverted.ToString("D8", CultureInfo.InvariantCulture) + "_" + TableKey.Escape(paperId);
    }

    /// <summary>RowKey of an author's row for a retracted paper: like <see cref="PaperRowKey"/>, in a range of its own after the papers.</summary>
    public static string RetractedRowKey(DateOnly published, string paperId) => RetractedRowPrefix + PaperRowKey(published, paperId)[PaperRowPrefix.Length..];

    /// <inheritdoc/>
    public async Task<AuthorPapersPage> GetPapersPageAsync(string authorId, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        var token = continuationToken;
        var from = PaperRowPrefix;
        if (token?.StartsWith(RowKeyToken, StringComparison.Ordinal) == true)
        {
            // The first page's next link: the rows from a key on (the profile was rendered without a query).
            from = token[RowKeyToken.Length..];
            token = null;
        }

        var (entity, old) = await ReadAggregateRowAsync(authorId, LedgerColumns, cancellationToken).ConfigureAwait(false);
        if (token is null && entity is not null && ReadLedger(entity) is { } ledger)
        {
            // The papers are the ledger's: a page of it from the key on, and the key of the next page's first paper.
            var rest = ledger.Where(p => !p.Retracted && string.CompareOrdinal(p.RowKey, from) >= 0).OrderBy(p => p.RowKey, StringComparer.Ordinal).ToList();
            return new AuthorPapersPage([.. rest.Take(top)], rest.Count > top ? RowKeyToken + rest[top].RowKey : null);
        }

        var (rows, next) = await TablePages.FirstWithRowsAsync(PaperRows(authorId, old, top, from), token, top).ConfigureAwait(false);
        return new AuthorPapersPage([.. rows.Select(FromEntity)], next);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuthorPaper>> ReadPapersAsync(string authorId, CancellationToken cancellationToken)
    {
        var (entity, old) = await ReadAggregateRowAsync(authorId, LedgerColumns, cancellationToken).ConfigureAwait(false);
        if (entity is not null && ReadLedger(entity) is { } ledger)
        {
            return ledger;
        }

        return await ReadPaperRowsAsync(authorId, old, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<AuthorPaper>> ReadPaperRowsAsync(string authorId, bool old, CancellationToken cancellationToken)
    {
        var all = new List<AuthorPaper>();
        await foreach (var row in PaperRows(authorId, old, 1000, upTo: RetractedRowPrefix).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            all.Add(FromEntity(row));
        }

        return all;
    }

    private static readonly string[] CardColumns = ["CardChunks", .. Enumerable.Range(0, MaxProfileChunks).Select(i => "Card" + i)];

    private static readonly string[] LedgerColumns = ["LedgerChunks", .. Enumerable.Range(0, MaxLedgerChunks).Select(i => "Ledger" + i), .. CardColumns];

    /// <summary>The ledger of an aggregate row: in its card, or in ledger properties of its own (rows written before cards, or too large for one).</summary>
    private static List<AuthorPaper>? ReadLedger(TableEntity entity)
    {
        var json = entity.GetInt32("CardChunks") is > 0 and var cards ? AuthorCard.Ledger(TableChunks.Read(entity, "Card", cards))
            : entity.GetInt32("LedgerChunks") is > 0 and var n ? TableChunks.Read(entity, "Ledger", n)
            : null;
        return json is null ? null : JsonSerializer.Deserialize<List<AuthorPaper>>(json, ScholarFxJson.Options);
    }

    /// <summary>The rendered profile of an aggregate row: the first line of its card, or its profile properties.</summary>
    private static string ReadProfile(TableEntity entity) =>
        entity.GetInt32("CardChunks") is > 0 and var cards ? TableChunks.ReadFirstLine(entity, "Card", cards) : TableChunks.Read(entity, "Profile", MaxProfileChunks);

    // Aggregate rows only; the paper rows of every bucket are skipped by the service, not sent.
    private const string AggregateRows = "RowKey ge 'a_' and RowKey lt 'a`'";

    private static readonly string[] ProfileColumns = ["AuthorId", "ContentTag", .. Enumerable.Range(0, MaxProfileChunks).Select(i => "Profile" + i), .. CardColumns];

    /// <summary>
    /// The author's aggregate row (only <paramref name="columns"/> when given) and whether it was found in the layout
    /// before buckets; <paramref name="sharedKey"/> also looks there under the row key aggregates had before it was unique.
    /// </summary>
    private async Task<(TableEntity? Entity, bool Legacy)> ReadAggregateRowAsync(string authorId, string[]? columns, CancellationToken cancellationToken, bool sharedKey = true)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Authors.GetEntityIfExistsAsync<TableEntity>(AuthorKeys.Partition(authorId), AggregateRowKey(authorId), columns, cancellationToken).ConfigureAwait(false);
        if (row.HasValue)
        {
            return (row.Value, false);
        }

        return await legacy.PresentAsync(cancellationToken).ConfigureAwait(false)
            && await legacy.ReadAggregateAsync(authorId, columns, sharedKey, cancellationToken).ConfigureAwait(false) is { } old
            ? (old, true)
            : (null, false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ScanProfilesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in ScanAggregatesAsync(ProfileColumns, 200, cancellationToken).ConfigureAwait(false))
        {
            var json = ReadProfile(row);
            if (json.Length > 0)
            {
                yield return json;
            }
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredAggregate> ScanRankedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] columns = ["AuthorId", "Name", "PaperCount", "PrimaryCategory", "RankHIndex", "RankCitations", "RankNovelty", "RankAiScore", "RankPioneer", "RankSince"];
        await foreach (var row in ScanAggregatesAsync(columns, 1000, cancellationToken).ConfigureAwait(false))
        {
            var id = IdOf(row);
            yield return new StoredAggregate(id, row.GetString("Name") ?? id, "", "", row.GetInt32("PaperCount") ?? 0, row.GetString("PrimaryCategory"), row.ETag) { Ranked = RankedOf(row) };
        }
    }

    /// <summary>Every aggregate row: the buckets', then (while the account has one) the older layout's, each author once.</summary>
    private async IAsyncEnumerable<TableEntity> ScanAggregatesAsync(string[] columns, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var old = await legacy.PresentAsync(cancellationToken, fresh: true).ConfigureAwait(false);
        // An author being moved is in both layouts for a moment: the bucket's row counts.
        var seen = old ? new HashSet<string>(StringComparer.Ordinal) : null;
        await foreach (var row in storage.Authors.QueryAsync<TableEntity>(AggregateRows, maxPerPage: pageSize, select: columns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            seen?.Add(IdOf(row));
            yield return row;
        }

        if (seen is null)
        {
            yield break;
        }

        await foreach (var row in legacy.ScanAggregates(columns, pageSize, cancellationToken).ConfigureAwait(false))
        {
            if (seen.Add(IdOf(row)))
            {
                yield return row;
            }
        }
    }

    private static string IdOf(TableEntity row) => row.GetString("AuthorId") ?? TableKey.Unescape(row.PartitionKey);

    private static RankedFigures? RankedOf(TableEntity row) => row.GetInt32("RankHIndex") is { } h
        ? new RankedFigures(h, row.GetInt64("RankCitations") ?? 0, row.GetInt32("RankNovelty"), row.GetInt32("RankAiScore"), row.GetInt32("RankPioneer"), row.GetInt64("RankSince") ?? 0)
        : null;

    /// <inheritdoc/>
    public async Task<(string Json, string ContentTag)?> GetProfileJsonAsync(string authorId, CancellationToken cancellationToken)
    {
        if ((await ReadAggregateRowAsync(authorId, ProfileColumns, cancellationToken).ConfigureAwait(false)).Entity is not { } entity)
        {
            return null;
        }

        return (ReadProfile(entity), entity.GetString("ContentTag") ?? "");
    }

    /// <inheritdoc/>
    public async Task<StoredAggregate?> GetAggregateAsync(string authorId, CancellationToken cancellationToken, bool legacyKey = true)
    {
        var (entity, old) = await ReadAggregateRowAsync(authorId, null, cancellationToken, legacyKey).ConfigureAwait(false);
        return entity is null ? null : ToAggregate(authorId, entity, old);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, StoredAggregate>> GetAggregatesAsync(IReadOnlyCollection<string> authorIds, CancellationToken cancellationToken, bool legacyKey = true)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, StoredAggregate>(StringComparer.Ordinal);
        if (authorIds.Count == 0)
        {
            return found;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        // While the older layout is there an author may be in either: each is read as GetAggregateAsync reads it.
        var ranged = !await legacy.PresentAsync(cancellationToken).ConfigureAwait(false);
        var work = new List<string[]>();
        foreach (var bucket in authorIds.Distinct(StringComparer.Ordinal).GroupBy(AuthorKeys.Partition, StringComparer.Ordinal))
        {
            var ids = bucket.OrderBy(AggregateRowKey, StringComparer.Ordinal).ToArray();
            if (ranged && ids.Length >= RangeAtLeast)
            {
                work.Add(ids);
            }
            else
            {
                work.AddRange(ids.Select(id => new[] { id }));
            }
        }

        async Task ReadOneAsync(string id, CancellationToken ct)
        {
            if (await GetAggregateAsync(id, ct, legacyKey).ConfigureAwait(false) is { } aggregate)
            {
                found[id] = aggregate;
            }
        }

        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (ids, ct) =>
        {
            if (ids.Length == 1)
            {
                await ReadOneAsync(ids[0], ct).ConfigureAwait(false);
                return;
            }

            var wanted = ids.ToDictionary(AggregateRowKey, id => id, StringComparer.Ordinal);
            var left = new HashSet<string>(ids, StringComparer.Ordinal);
            var partition = AuthorKeys.Partition(ids[0]);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {AggregateRowKey(ids[0])} and RowKey le {AggregateRowKey(ids[^1])}");
            long rows = 0;
            var whole = true;
            // Pages of a few rows for each wanted author, so a sparse range stops early.
            await foreach (var page in storage.Authors.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, RangeWaste * ids.Length), cancellationToken: ct).AsPages().ConfigureAwait(false))
            {
                foreach (var row in page.Values)
                {
                    if (wanted.TryGetValue(row.RowKey, out var id))
                    {
                        found[id] = ToAggregate(id, row, false);
                        left.Remove(id);
                    }
                }

                rows += page.Values.Count;
                if (left.Count == 0)
                {
                    break;
                }

                // Rows between wanted ones are read for nothing: past a few for each wanted one, the rest are read alone.
                if (rows > RangeWaste * ids.Length)
                {
                    whole = false;
                    break;
                }
            }

            // An author the whole range did not hold has no aggregate.
            foreach (var id in whole ? [] : ids.Where(left.Contains))
            {
                await ReadOneAsync(id, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return found;
    }

    // A bucket's authors are read with a range query from this many on; a range is read while it holds no more than
    // RangeWaste rows for each wanted author.
    private const int RangeAtLeast = 16;
    private const int RangeWaste = 4;
    private const int ReadParallelism = 16;

    private static StoredAggregate ToAggregate(string authorId, TableEntity entity, bool old) => new(
        authorId,
        entity.GetString("Name") ?? authorId,
        ReadProfile(entity),
        entity.GetString("ContentTag") ?? "",
        entity.GetInt32("PaperCount") ?? 0,
        entity.GetString("PrimaryCategory"),
        entity.ETag)
    {
        Ledger = ReadLedger(entity),
        RowKey = entity.RowKey,
        Ranked = RankedOf(entity),
        Legacy = old,
    };

    /// <inheritdoc/>
    public async Task<ETag?> TryCommitAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, StoredAggregate? aggregate, StoredAggregate? expected, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        if (expected?.Legacy == true)
        {
            return await MoveAsync(authorId, aggregate, expected, cancellationToken).ConfigureAwait(false);
        }

        // A writer that did not read (a new author) may not know of the author's row in the older layout: it must read it.
        // (Only under the author's own key: a writer guesses a new author only in an account without shared-key rows.)
        if (expected is null && await legacy.PresentAsync(cancellationToken).ConfigureAwait(false)
            && await legacy.ReadAggregateAsync(authorId, ["RowKey"], sharedKey: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        return await CommitAsync(authorId, changes, aggregate, expected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Commits an author read from the layout before buckets: the aggregate (with every paper, as rows when the ledger
    /// does not fit) is added to the bucket, which fails if another writer moved the author first, and then the older
    /// partition is deleted. An author whose last paper went is only deleted there, on the row's ETag.
    /// </summary>
    private async Task<ETag?> MoveAsync(string authorId, StoredAggregate? aggregate, StoredAggregate expected, CancellationToken cancellationToken)
    {
        if (aggregate is null)
        {
            try
            {
                await storage.LegacyAuthors.DeleteEntityAsync(TableKey.Escape(authorId), expected.RowKey ?? AggregateRowKey(authorId), expected.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                return null;
            }

            await legacy.DeleteAuthorAsync(authorId, cancellationToken).ConfigureAwait(false);
            return default(ETag);
        }

        var every = aggregate.Ledger?.Select(p => new AuthorRowChange(authorId, p, null)).ToList() ?? [];
        if (await CommitAsync(authorId, every, aggregate, null, cancellationToken).ConfigureAwait(false) is not { } committed)
        {
            return null;
        }

        await legacy.DeleteAuthorAsync(authorId, cancellationToken).ConfigureAwait(false);
        return committed;
    }

    /// <inheritdoc/>
    public async Task<int> MoveLegacyAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        if (!await legacy.PresentAsync(cancellationToken, fresh: true).ConfigureAwait(false))
        {
            return 0;
        }

        var moved = 0;
        await foreach (var row in legacy.ScanAggregates(null, 100, cancellationToken).ConfigureAwait(false))
        {
            var id = IdOf(row);
            var stored = ToAggregate(id, row, old: true);
            var papers = stored.Ledger ?? await ReadPaperRowsAsync(id, old: true, cancellationToken).ConfigureAwait(false);
            if (await MoveAsync(id, stored with { Ledger = papers }, stored, cancellationToken).ConfigureAwait(false) is null)
            {
                // A writer moved it first: what is left of it in the older layout goes.
                await legacy.DeleteAuthorAsync(id, cancellationToken).ConfigureAwait(false);
            }

            moved++;
        }

        await legacy.DeleteTableAsync(cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ETag?>> TryCommitManyAsync(IReadOnlyList<AuthorCommit> commits, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var results = new ETag?[commits.Count];
        var old = commits.Count > 0 && await legacy.PresentAsync(cancellationToken).ConfigureAwait(false);
        var singles = new List<int>();
        var batched = new List<int>();
        var actions = new List<TableTransactionAction>();
        var authors = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < commits.Count; i++)
        {
            var (authorId, _, aggregate, expected) = commits[i];
            if (!authors.Add(authorId))
            {
                // A transaction may not name an entity twice: a second commit of one author goes on its own (its ETag
                // condition orders it with the first).
                singles.Add(i);
                continue;
            }

            var ledger = aggregate?.Ledger is { } papers ? JsonSerializer.Serialize(papers, ScholarFxJson.Options) : null;
            // Only an aggregate alone goes with others: a delete, paper rows, a move or a check of the older layout go one by one.
            if (aggregate is null || expected?.Legacy == true || (expected is null && old) || RowsKept(aggregate, ledger, expected) is not null)
            {
                singles.Add(i);
                continue;
            }

            var entity = AggregateEntity(aggregate, ledger);
            batched.Add(i);
            actions.Add(expected is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, expected.ETag));
        }

        Task<ETag?> CommitOneAsync(int index, CancellationToken ct)
        {
            var c = commits[index];
            return TryCommitAsync(c.AuthorId, c.Changes, c.Aggregate, c.Expected, ct);
        }

        // A bucket's aggregates in one transaction; a commit that lost its race is answered null, as on its own (and
        // one written without an ETag in the answer as default, so no copy of it is kept).
        var together = ConditionalTransactions.SubmitAsync(storage.Authors, actions, async (k, ct) =>
            await CommitOneAsync(batched[k], ct).ConfigureAwait(false) is { } tag ? new ConditionalTransactions.Answer(true, tag) : ConditionalTransactions.Answer.Lost,
            CommitParallelism, cancellationToken);
        var alone = Parallel.ForEachAsync(singles, new ParallelOptions { MaxDegreeOfParallelism = CommitParallelism, CancellationToken = cancellationToken }, async (index, ct) =>
            results[index] = await CommitOneAsync(index, ct).ConfigureAwait(false));
        await Task.WhenAll(together, alone).ConfigureAwait(false);
        var answers = await together.ConfigureAwait(false);
        for (var k = 0; k < batched.Count; k++)
        {
            results[batched[k]] = answers[k].Written ? answers[k].ETag ?? default : null;
        }

        return results;
    }

    /// <summary>A commit in the author's bucket (no look at the older layout).</summary>
    private async Task<ETag?> CommitAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, StoredAggregate? aggregate, StoredAggregate? expected, CancellationToken cancellationToken)
    {
        var partition = AuthorKeys.Partition(authorId);
        var ledger = aggregate?.Ledger is { } papers ? JsonSerializer.Serialize(papers, ScholarFxJson.Options) : null;
        var rows = new List<TableTransactionAction>();
        if (RowsKept(aggregate, ledger, expected) is { } allRows)
        {
            await DeleteRowsAsync(authorId, changes, allRows, aggregate, cancellationToken).ConfigureAwait(false);
            var upserts = allRows ? aggregate!.Ledger!.Select(p => ToEntity(authorId, p)) : changes.Where(c => c.Upsert is not null).Select(c => ToEntity(authorId, c.Upsert!));
            rows.AddRange(upserts.DistinctBy(e => e.RowKey, StringComparer.Ordinal).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)));
        }

        TableTransactionAction? head = aggregate is null
            ? expected is null ? null : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, AggregateRowKey(authorId)), expected.ETag)
            : expected is null
                ? new TableTransactionAction(TableTransactionActionType.Add, AggregateEntity(aggregate, ledger))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, AggregateEntity(aggregate, ledger), expected.ETag);

        // A transaction holds 100 entities: rows beyond 99 go first (upserts are idempotent); the rest commit with the aggregate.
        var last = head is null ? rows.Count : Math.Max(0, rows.Count - 99);
        if (last > 0 && aggregate is not null && expected is null)
        {
            // A new author's rows are never stored before an aggregate row is (writers read a new author's ledger as
            // empty, without a range query): an aggregate without a ledger, which has readers use the rows, goes
            // first; the one with the ledger replaces it after the rows.
            try
            {
                var placeholder = await storage.Authors.AddEntityAsync(AggregateEntity(aggregate, null), cancellationToken).ConfigureAwait(false);
                head = new TableTransactionAction(TableTransactionActionType.UpdateReplace, AggregateEntity(aggregate, ledger), placeholder.Headers.ETag ?? ETag.All);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return null;
            }
        }

        foreach (var chunk in rows.Take(last).Chunk(100))
        {
            await storage.Authors.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        if (head is null)
        {
            return default(ETag);
        }

        try
        {
            var answers = await storage.Authors.SubmitTransactionAsync([.. rows.Skip(last), head], cancellationToken).ConfigureAwait(false);
            return aggregate is not null && answers.Value.Count > 0 && answers.Value[^1].Headers.ETag is { } tag ? tag : default(ETag);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 || (e.Status == 404 && expected is not null))
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="papers"/> fit the aggregate row as its ledger (else the author's papers are kept as rows).</summary>
    public static bool LedgerFits(IReadOnlyList<AuthorPaper> papers) => TableChunks.Fits(JsonSerializer.Serialize(papers, ScholarFxJson.Options), MaxLedgerChunks);

    /// <summary>
    /// Whether this commit writes paper rows: null when the author's papers live in the ledger alone (it fits, and the
    /// stored state is a ledger or nothing), false for the changed rows (the stored state is rows), true for every
    /// paper (a ledger that no longer fits becomes rows).
    /// </summary>
    private static bool? RowsKept(StoredAggregate? aggregate, string? ledger, StoredAggregate? expected)
    {
        var storedAsLedger = expected is null || expected.Ledger is not null;
        if (aggregate is null)
        {
            return storedAsLedger ? null : false;
        }

        var fits = ledger is not null && TableChunks.Fits(ledger, MaxLedgerChunks);
        return fits && storedAsLedger ? null : !fits && expected?.Ledger is not null;
    }

    /// <summary>
    /// Deletes the paper rows a rows-kept commit retires, one by one and before the transaction (deleting a row that is
    /// already gone fails a whole transaction). When the ledger becomes rows (<paramref name="allRows"/>), every row the
    /// author has that the ledger has not is deleted: rows left from before the author's papers moved to the ledger.
    /// </summary>
    private async Task DeleteRowsAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, bool allRows, StoredAggregate? aggregate, CancellationToken cancellationToken)
    {
        IEnumerable<string> deletes = changes.Where(c => c.DeleteRowKey is not null && !changes.Any(u => u.Upsert is not null && u.Upsert.RowKey == c.DeleteRowKey)).Select(c => c.DeleteRowKey!);
        if (allRows)
        {
            var kept = aggregate!.Ledger!.Select(p => p.RowKey).ToHashSet(StringComparer.Ordinal);
            var stale = new List<string>();
            await foreach (var row in PaperRows(authorId, old: false, 1000, upTo: RetractedRowPrefix).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var key = row.RowKey[AuthorKeys.PaperPrefix(authorId).Length..];
                if (!kept.Contains(key))
                {
                    stale.Add(key);
                }
            }

            deletes = stale;
        }

        var partition = AuthorKeys.Partition(authorId);
        var prefix = AuthorKeys.PaperPrefix(authorId);
        foreach (var delete in deletes.Distinct(StringComparer.Ordinal))
        {
            await storage.Authors.DeleteEntityAsync(partition, prefix + delete, ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TableEntity AggregateEntity(StoredAggregate aggregate, string? ledger)
    {
        if (!TableChunks.Fits(aggregate.ProfileJson, MaxProfileChunks))
        {
            throw new InvalidOperationException($"Rendered profile of {aggregate.AuthorId} is {aggregate.ProfileJson.Length} characters, over the entity limit.");
        }

        var entity = new TableEntity(AuthorKeys.Partition(aggregate.AuthorId), AggregateRowKey(aggregate.AuthorId))
        {
            ["AuthorId"] = aggregate.AuthorId,
            ["Name"] = aggregate.Name,
            ["ContentTag"] = aggregate.ContentTag,
            ["PaperCount"] = aggregate.PaperCount,
            ["PrimaryCategory"] = aggregate.PrimaryCategory,
            ["RankHIndex"] = aggregate.Ranked?.HIndex,
            ["RankCitations"] = aggregate.Ranked?.Citations,
            ["RankNovelty"] = aggregate.Ranked?.Novelty,
            ["RankAiScore"] = aggregate.Ranked?.AiScore,
            ["RankPioneer"] = aggregate.Ranked?.Pioneer,
            ["RankSince"] = aggregate.Ranked is { Since: > 0 } listed ? listed.Since : null,
        };
        // The rendered profile and the ledger repeat each other's titles and names: compressed as one text (the card)
        // they take about a third less than apart. A card too large for its properties, or a profile without a ledger,
        // is written as before: the profile and the ledger each split across properties of their own.
        if (ledger is { Length: > 0 } && TableChunks.Fits(ledger, MaxLedgerChunks)
            && AuthorCard.Join(aggregate.ProfileJson, ledger) is { } card
            && TableChunks.TryWriteCompressed(entity, "Card", card, MaxProfileChunks) is > 0 and var cards)
        {
            entity["CardChunks"] = cards;
            return entity;
        }

        TableChunks.WriteCompressed(entity, "Profile", aggregate.ProfileJson, MaxProfileChunks);
        entity["LedgerChunks"] = ledger is { Length: > 0 } && TableChunks.Fits(ledger, MaxLedgerChunks) ? TableChunks.WriteCompressed(entity, "Ledger", ledger, MaxLedgerChunks) : 0;
        return entity;
    }

    /// <inheritdoc/>
    public Task IndexNamesAsync(IReadOnlyCollection<NameHit> authors, CancellationToken cancellationToken) => names.IndexAsync(authors, cancellationToken);

    /// <inheritdoc/>
    public Task<(IReadOnlyList<NameHit> Hits, string? ContinuationToken)> FindByTokenPrefixAsync(string token, string? continuationToken, int top, CancellationToken cancellationToken) =>
        names.FindAsync(token, continuationToken, top, cancellationToken);

    /// <summary>
    /// The author's paper rows from <paramref name="from"/> on: the papers alone, or up to the retracted ones too; in
    /// the author's bucket, or in its partition of the older layout (<paramref name="old"/>).
    /// </summary>
    private AsyncPageable<TableEntity> PaperRows(string authorId, bool old, int pageSize, string from = PaperRowPrefix, string upTo = PaperRowPrefix)
    {
        var low = string.CompareOrdinal(from, PaperRowPrefix) < 0 ? PaperRowPrefix : from;
        var below = TableKey.PrefixUpperBound(upTo);
        if (old)
        {
            return legacy.PaperRows(authorId, pageSize, low, below);
        }

        var prefix = AuthorKeys.PaperPrefix(authorId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AuthorKeys.Partition(authorId)} and RowKey ge {prefix + low} and RowKey lt {prefix + below}");
        return storage.Authors.QueryAsync<TableEntity>(filter, pageSize);
    }

    private static TableEntity ToEntity(string authorId, AuthorPaper paper) => new(AuthorKeys.Partition(authorId), AuthorKeys.PaperPrefix(authorId) + paper.RowKey)
    {
        ["PaperId"] = paper.Id,
        ["Title"] = paper.Title.Length > 2000 ? paper.Title[..2000] : paper.Title,
        ["Authors"] = JsonSerializer.Serialize(paper.Authors.Take(AuthorsPerRow).Select(a => a.Length > 200 ? a[..200] : a), ScholarFxJson.Options),
        ["AuthorCount"] = paper.AuthorCount,
        ["Category"] = paper.Category,
        ["Published"] = paper.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Citations"] = paper.Citations,
        ["Novelty"] = paper.Novelty,
        ["AiScore"] = paper.AiScore,
        ["Pioneer"] = paper.Pioneer,
        ["AuthorName"] = paper.AuthorName,
        ["Affiliations"] = paper.Affiliations is { Count: > 0 } affiliations ? JsonSerializer.Serialize(affiliations, ScholarFxJson.Options) : null,
        ["CitationsByYear"] = paper.CitationsByYear is { Count: > 0 } byYear ? JsonSerializer.Serialize(byYear, ScholarFxJson.Options) : null,
        ["Retracted"] = paper.Retracted ? true : null,
        ["Provisional"] = paper.Provisional ? true : null,
        ["Orcid"] = paper.Orcid,
        ["UnconfirmedOrcid"] = paper.UnconfirmedOrcid,
        ["ExternalIds"] = paper.ExternalIds is { Count: > 0 } ids ? JsonSerializer.Serialize(ids, ScholarFxJson.Options) : null,
    };

    private static AuthorPaper FromEntity(TableEntity e) => new()
    {
        Id = e.GetString("PaperId"),
        Title = e.GetString("Title") ?? "",
        Authors = JsonSerializer.Deserialize<List<string>>(e.GetString("Authors") ?? "[]", ScholarFxJson.Options) ?? [],
        AuthorCount = e.GetInt32("AuthorCount") ?? 0,
        Category = e.GetString("Category"),
        Published = DateOnly.ParseExact(e.GetString("Published"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        Citations = e.GetInt32("Citations"),
        Novelty = e.GetDouble("Novelty"),
        AiScore = e.GetDouble("AiScore"),
        Pioneer = e.GetDouble("Pioneer"),
        AuthorName = e.GetString("AuthorName") ?? "",
        Affiliations = e.GetString("Affiliations") is { } affiliations ? JsonSerializer.Deserialize<List<string>>(affiliations, ScholarFxJson.Options) : null,
        CitationsByYear = e.GetString("CitationsByYear") is { } byYear ? JsonSerializer.Deserialize<List<Papers.YearCount>>(byYear, ScholarFxJson.Options) : null,
        Retracted = e.GetBoolean("Retracted") ?? false,
        Provisional = e.GetBoolean("Provisional") ?? false,
        Orcid = e.GetString("Orcid"),
        UnconfirmedOrcid = e.GetString("UnconfirmedOrcid"),
        ExternalIds = e.GetString("ExternalIds") is { } ids ? JsonSerializer.Deserialize<List<string>>(ids, ScholarFxJson.Options) : null,
    };
}

namespace ScholarFx.Core.Storage;

/// <summary>
/// The name index (table <see cref="StorageNames.NameIndexTable"/>): for every word of an author's name and id, an
/// entry keyed by the word and the author id, in a partition per word's first two letters, packed into pages like the
/// ranking lists (<see cref="PagedPartitions"/>). A batch's authors cost one transaction per partition they touch, a
/// page holds a hundred or more entries where a row per entry took several hundred bytes of keys and timestamps each,
/// and a search by a word's prefix is one range query from the page that holds the prefix.
/// </summary>
internal sealed class NameIndex(ScholarFxStorage storage, Func<long> cacheBytes)
{
    private const int Parallelism = 8;

    // Entries are only put, so a write that lost a race is always tried again on the pages read anew.
    private const int Attempts = 20;

    // A search's cursor: the key of its last entry; the next page starts after it.
    private const string AfterToken = "k|";

    private readonly PagedPartitions pages = new(storage.NameIndex, cacheBytes);

    // Whether the table of an older layout is known to be gone (checked by the first search of this instance).
    private volatile bool legacyGone;

    // Hits given to IndexAsync and not written yet, in the order they came; one writer at a time takes them all.
    private readonly Lock gate = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private List<NameHit> waiting = [];

    /// <summary>
    /// Writes each author's entries (one per word; the last hit given for an author wins) before it returns. Callers
    /// in this process take turns, and each turn writes every hit given so far: the batches of files ingested side by
    /// side, which arrive while one of them writes, share its successor's transactions (one per partition) instead of
    /// each sending its own.
    /// </summary>
    public async Task IndexAsync(IReadOnlyCollection<NameHit> authors, CancellationToken cancellationToken)
    {
        if (authors.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            waiting.AddRange(authors);
        }

        await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<NameHit> hits;
            lock (gate)
            {
                (hits, waiting) = (waiting, []);
            }

            // Empty when a turn before this one wrote these hits with its own.
            try
            {
                await WriteAsync(hits, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Put back ahead of any given since, for the next turn (whose caller may be the one these came from).
                lock (gate)
                {
                    waiting.InsertRange(0, hits);
                }

                throw;
            }
        }
        finally
        {
            writing.Release();
        }
    }

    private async Task WriteAsync(List<NameHit> authors, CancellationToken cancellationToken)
    {
        var partitions = authors.GroupBy(a => a.Id, StringComparer.Ordinal).Select(g => g.Last())
            .SelectMany(author => Words(author).Select(word => (Partition: Partition(word), Change: Change(word, author))))
            .GroupBy(e => e.Partition, e => e.Change, StringComparer.Ordinal).ToList();
        if (partitions.Count == 0)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            // Puts remove nothing, so nothing is missed unless every attempt lost a race with a writer in another process.
            if ((await pages.ApplyAsync(partition.Key, [.. partition], ct, Attempts).ConfigureAwait(false)).Count > 0)
            {
                throw new InvalidOperationException($"The name index partition '{partition.Key}' changed under every attempt to write it; the batch is tried again.");
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Up to <paramref name="top"/> authors with a word starting <paramref name="prefix"/>, in word order, and the cursor
    /// of the next page. While the account still has the index as a row per word (an upgrade whose first settling has
    /// not run yet, <c>Profiles/ListLayout</c>), those rows are read instead, so search keeps working meanwhile.
    /// </summary>
    public async Task<(IReadOnlyList<NameHit> Hits, string? ContinuationToken)> FindAsync(string prefix, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        if (!legacyGone && continuationToken?.StartsWith(AfterToken, StringComparison.Ordinal) != true)
        {
            try
            {
                return await FindInRowsAsync(prefix, continuationToken, top, cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // No table of rows (a new account, or one whose rows were rebuilt into pages): pages from now on.
                legacyGone = true;
            }
        }

        var low = TableKey.Escape(prefix);
        var from = low;
        var inclusive = true;
        if (continuationToken is not null)
        {
            if (!continuationToken.StartsWith(AfterToken, StringComparison.Ordinal) || continuationToken.Length > 1_024)
            {
                throw new ArgumentException("Not a name search cursor.", nameof(continuationToken));
            }

            // A cursor before the prefix's range starts at the range.
            var after = continuationToken[AfterToken.Length..];
            (from, inclusive) = string.CompareOrdinal(after, low) >= 0 ? (after, false) : (low, true);
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var (entries, more) = await pages.ReadAsync(Partition(prefix), from, inclusive, TableKey.PrefixUpperBound(low), top, cancellationToken).ConfigureAwait(false);
        var page = entries.Take(top).ToList();
        return (
            [.. page.Select(e => new NameHit(e.Value.AuthorId, e.Value.Name, e.Value.PaperCount, e.Value.PrimaryCategory))],
            (more || entries.Count > top) && page.Count > 0 ? AfterToken + page[^1].Key : null);
    }

    /// <summary>A search of the index as a row per word and author (<see cref="StorageNames.LegacyNameIndexTable"/>).</summary>
    private async Task<(IReadOnlyList<NameHit> Hits, string? ContinuationToken)> FindInRowsAsync(string prefix, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        var low = TableKey.Escape(prefix);
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {Partition(prefix)} and RowKey ge {low} and RowKey lt {TableKey.PrefixUpperBound(low)}");
        var rows = storage.TableService.GetTableClient(StorageNames.LegacyNameIndexTable).QueryAsync<Azure.Data.Tables.TableEntity>(filter, top, cancellationToken: cancellationToken);
        var (page, next) = await TablePages.FirstWithRowsAsync(rows, continuationToken, top).ConfigureAwait(false);
        return ([.. page.Select(e => new NameHit(e.GetString("AuthorId"), e.GetString("Name") ?? "", e.GetInt32("PaperCount") ?? 0, e.GetString("PrimaryCategory")))], next);
    }

    private static IEnumerable<string> Words(NameHit author) =>
        Papers.AuthorKey.Tokens(author.Name).Concat(author.Id.Split('-')).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal);

    private static RankChange Change(string word, NameHit author) =>
        new(author.Id, [], [KeyValuePair.Create(TableKey.Escape(word + " " + author.Id), new RankEntry(author.Id, author.Name, author.PaperCount, author.PaperCount, author.PrimaryCategory))]);

    private static string Partition(string word) => TableKey.Escape(word.Length <= 2 ? word : word[..2]);
}

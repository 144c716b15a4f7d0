using Azure;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Brings an account from older layouts: first moves authors still in a partition of their own into their buckets
/// (<see cref="IAuthorStore.MoveLegacyAsync"/>), then rebuilds the lists if it still has them in an older layout —
/// ranking lists as a row per entry (one of
/// <see cref="StorageNames.LegacyRankingsTables"/>), or the name index as a row per word
/// (<see cref="StorageNames.LegacyNameIndexTable"/>): every aggregate row is listed again from its ranked figures and
/// name, in pages, then the old tables are deleted. Run by settling under its lease, so once per account; an instance
/// that has seen no old table asks no more. Until it has run, the lists hold only the authors changed since the upgrade.
/// </summary>
public sealed class ListLayout(ScholarFxStorage storage, IAuthorStore authors, ProfileRankings rankings, ILogger<ListLayout> logger)
{
    private const int AuthorsPerFlush = 1_000;
    private volatile bool current;

    /// <summary>Rebuilds the lists if the account still has an old table; how many profiles were listed again.</summary>
    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        if (current)
        {
            return 0;
        }

        // Authors still in a partition of their own move to their buckets first, so the lists are rebuilt from one table.
        if (await authors.MoveLegacyAsync(cancellationToken).ConfigureAwait(false) is > 0 and var moved)
        {
            logger.LogInformation("Authors moved into hashed buckets: {Authors}; the old table is deleted", moved);
        }

        var legacy = new List<string>();
        foreach (var name in StorageNames.LegacyRankingsTables.Append(StorageNames.LegacyNameIndexTable))
        {
            await foreach (var table in storage.TableService.QueryAsync(t => t.Name == name, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (table.Name == name)
                {
                    legacy.Add(name);
                }
            }
        }

        if (legacy.Count == 0)
        {
            current = true;
            return 0;
        }

        var ranked = legacy.Any(StorageNames.LegacyRankingsTables.Contains);
        var named = legacy.Contains(StorageNames.LegacyNameIndexTable);
        logger.LogInformation("Lists in an older layout ({Tables}): listing every profile again", string.Join(", ", legacy));
        var listed = 0;
        var names = new List<NameHit>();
        async Task FlushAsync()
        {
            await Task.WhenAll(rankings.WriteAsync(cancellationToken), authors.IndexNamesAsync(names, cancellationToken)).ConfigureAwait(false);
            names = [];
        }

        await foreach (var aggregate in authors.ScanRankedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ranked)
            {
                rankings.Record(null, aggregate);
            }

            if (named)
            {
                names.Add(new NameHit(aggregate.AuthorId, aggregate.Name, aggregate.PaperCount, aggregate.PrimaryCategory));
            }

            if (++listed % AuthorsPerFlush == 0)
            {
                await FlushAsync().ConfigureAwait(false);
                logger.LogInformation("Lists: {Profiles} profiles listed again", listed);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        foreach (var name in legacy)
        {
            try
            {
                await storage.TableService.DeleteTableAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another instance deleted it first.
            }
        }

        current = true;
        logger.LogInformation("Lists rebuilt: {Profiles} profiles listed; the old tables are deleted", listed);
        return listed;
    }
}

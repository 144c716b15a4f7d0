using Azure;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Rebuilds the ranking lists of an account whose lists were written in an older layout (a row per entry, in one of
/// <see cref="StorageNames.LegacyRankingsTables"/>): every aggregate row's ranked figures are listed again in
/// <see cref="StorageNames.RankingsTable"/>, then the old tables are deleted. Run by settling under its lease, so once
/// per account; an instance that has seen no old table asks no more. Until it has run, the lists hold only the authors
/// changed since the upgrade.
/// </summary>
public sealed class RankingLayout(ScholarFxStorage storage, IAuthorStore authors, ProfileRankings rankings, ILogger<RankingLayout> logger)
{
    private const int AuthorsPerFlush = 1_000;
    private volatile bool current;

    /// <summary>Rebuilds the lists if the account still has the old table; how many profiles were listed again.</summary>
    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        if (current)
        {
            return 0;
        }

        var legacy = new List<string>();
        foreach (var name in StorageNames.LegacyRankingsTables)
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

        logger.LogInformation("Ranking lists in an older layout ({Tables}): listing every profile again", string.Join(", ", legacy));
        var listed = 0;
        await foreach (var aggregate in authors.ScanRankedAsync(cancellationToken).ConfigureAwait(false))
        {
            rankings.Record(null, aggregate);
            if (++listed % AuthorsPerFlush == 0)
            {
                await rankings.WriteAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Ranking lists: {Profiles} profiles listed again", listed);
            }
        }

        await rankings.WriteAsync(cancellationToken).ConfigureAwait(false);
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
        logger.LogInformation("Ranking lists rebuilt: {Profiles} profiles listed; the old tables are deleted", listed);
        return listed;
    }
}

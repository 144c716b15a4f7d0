using Microsoft.Extensions.Logging;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Renders every profile again from its ledger, writing only those whose content changed: what a profile shows also
/// depends on things no change of its own papers touches — the citation percentiles of its papers move as their
/// (category, year) cohorts grow, and <c>recent</c> moves when the year turns. Run by the nightly rescore after it
/// settles, so every profile equals a from-scratch build of its rows by the next morning (docs/architecture.md). The
/// scan goes a bucket at a time in key order, so 1,000 profiles are read with a range query or two
/// (<see cref="IAuthorStore.GetAggregatesAsync"/>), and one that changed costs a share of its bucket's transaction.
/// </summary>
public sealed class ProfileRefresh(IAuthorStore authors, ProfileBuilder profiles, ILogger<ProfileRefresh> logger)
{
    private const int Parallelism = 4;
    private const int AuthorsPerFlush = 1_000;

    /// <summary>Renders every profile again; how many changed.</summary>
    public async Task<int> RefreshAllAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        var seen = 0;
        var writes = new NameIndexWrites();
        var chunk = new List<string>(AuthorsPerFlush);
        async Task RenderAsync()
        {
            changed += await profiles.ApplyManyAsync([.. chunk.Select(id => (id, (IReadOnlyList<AuthorRowChange>)[]))], Parallelism, writes, cancellationToken).ConfigureAwait(false);
            await profiles.FlushAsync(writes, cancellationToken, complete: true).ConfigureAwait(false);
            seen += chunk.Count;
            chunk.Clear();
        }

        await foreach (var aggregate in authors.ScanRankedAsync(cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(aggregate.AuthorId);
            if (chunk.Count == AuthorsPerFlush)
            {
                await RenderAsync().ConfigureAwait(false);
                logger.LogInformation("Profiles rendered again: {Seen} read, {Changed} changed", seen, changed);
            }
        }

        await RenderAsync().ConfigureAwait(false);
        logger.LogInformation("Every profile rendered again: {Seen} read, {Changed} changed", seen, changed);
        return changed;
    }
}

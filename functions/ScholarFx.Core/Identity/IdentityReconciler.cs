using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>
/// Resolves stored papers again when what identity resolution knows has changed (an ORCID seen with a name for the
/// first time, a curator's correction), and moves their authors' rows between profiles: each paper is replaced only if
/// it is still the version read (re-read and resolved again otherwise), then every touched profile is rebuilt.
/// </summary>
public sealed class IdentityReconciler(
    IAuthorStore authors,
    IPaperStore papers,
    IdentityResolver resolver,
    ProfileBuilder profiles,
    TimeProvider clock,
    ILogger<IdentityReconciler> logger)
{
    private const int MaxAttempts = 20;
    private const int Parallelism = 8;

    /// <summary>
    /// After papers were written: records the ORCID iDs they give (<see cref="IdentityResolver.RegisterAsync"/>) and
    /// returns the names whose record grew — their own profiles may hold papers that now belong to an ORCID profile
    /// (<see cref="ReassignProfilesAsync"/>, once those papers' rows are written). Recorded before the profiles are
    /// rebuilt, so a name's id leads to its ORCID profile as soon as that profile is there.
    /// </summary>
    /// <param name="written">The papers just written.</param>
    /// <param name="repair">
    /// An attempt after one that did not finish: the earlier one may have recorded an ORCID and stopped before moving
    /// the papers it claims, so every name with an ORCID here is returned, grown or not.
    /// </param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<IReadOnlyCollection<string>> RegisterAsync(IEnumerable<Paper> written, bool repair, CancellationToken cancellationToken)
    {
        var grown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var paper in written.Where(p => p.Authors.Any(a => a.Orcid is not null)))
        {
            var names = await resolver.RegisterAsync(paper, cancellationToken).ConfigureAwait(false);
            grown.UnionWith(repair ? paper.Authors.Where(a => a.Orcid is not null).Select(a => a.NameKey) : names);
        }

        return grown;
    }

    /// <summary>Resolves every paper of these profiles again; returns how many papers changed profile.</summary>
    public async Task<int> ReassignProfilesAsync(IEnumerable<string> authorIds, CancellationToken cancellationToken, bool repair = false)
    {
        var paperIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var authorId in authorIds.Distinct(StringComparer.Ordinal))
        {
            paperIds.UnionWith((await authors.ReadPapersAsync(authorId, cancellationToken).ConfigureAwait(false)).Select(p => p.Id));
        }

        return await ReassignPapersAsync(paperIds, edit: null, cancellationToken, repair).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies <paramref name="edit"/> (a curator's move; null for none) to each paper, resolves its authors again and
    /// writes what changed; returns how many papers changed. With <paramref name="repair"/> (an attempt after one that
    /// may have stopped between a paper and its authors' rows) a paper already as resolved has its rows written again.
    /// </summary>
    public async Task<int> ReassignPapersAsync(IReadOnlyCollection<string> paperIds, Func<Paper, Paper>? edit, CancellationToken cancellationToken, bool repair = false)
    {
        if (paperIds.Count == 0)
        {
            return 0;
        }

        var lookup = resolver.NewLookup();
        var changes = new System.Collections.Concurrent.ConcurrentBag<AuthorRowChange>();
        var changed = 0;
        await Parallel.ForEachAsync(paperIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (paperId, ct) =>
        {
            if (await ReassignAsync(paperId, edit, lookup, repair, ct).ConfigureAwait(false) is { } moved)
            {
                if (moved.Changed)
                {
                    Interlocked.Increment(ref changed);
                }

                foreach (var change in moved.Rows)
                {
                    changes.Add(change);
                }
            }
        }).ConfigureAwait(false);

        var writes = new ProfileWrites();
        foreach (var author in changes.GroupBy(c => c.AuthorId, StringComparer.Ordinal))
        {
            await profiles.ApplyAsync(author.Key, [.. author], cancellationToken, reindex: repair, writes).ConfigureAwait(false);
        }

        await profiles.FlushAsync(writes, cancellationToken).ConfigureAwait(false);

        if (changed > 0)
        {
            logger.LogInformation("Identity: {Papers} of {Total} papers moved between profiles; {Profiles} profiles rebuilt", changed, paperIds.Count, changes.Select(c => c.AuthorId).Distinct().Count());
        }

        return changed;
    }

    /// <summary>The author-row changes of one paper's new resolution (its rows again on a repair), or null for none.</summary>
    private async Task<(bool Changed, IReadOnlyList<AuthorRowChange> Rows)?> ReassignAsync(string paperId, Func<Paper, Paper>? edit, IdentityLookup lookup, bool repair, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return null;
            }

            var edited = edit?.Invoke(stored) ?? stored;
            var resolved = await resolver.ResolveAsync(edited, lookup, cancellationToken).ConfigureAwait(false);
            if (resolved.Authors.SequenceEqual(stored.Authors) && resolved.AuthorOverrides.SequenceEqual(stored.AuthorOverrides))
            {
                return repair ? (false, [.. AuthorRows.Reprojection(stored)]) : null;
            }

            var after = resolved with { UpdatedAt = clock.GetUtcNow(), RetiredRows = AuthorRows.Retired(stored, resolved) };
            if (await papers.TryReplaceAsync(after, cancellationToken).ConfigureAwait(false))
            {
                return (true, [.. AuthorRows.Changes(stored, after)]);
            }

            // Another writer changed the paper since it was read: read it again and resolve that.
            await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Paper {paperId} kept changing while its authors were resolved again.");
    }
}

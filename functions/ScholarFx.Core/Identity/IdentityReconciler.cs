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
    IIdentityHistoryStore history,
    TimeProvider clock,
    ILogger<IdentityReconciler> logger)
{
    private const int MaxAttempts = 20;
    private const int Parallelism = 8;

    /// <summary>
    /// After papers were written: records the ORCID iDs they give (<see cref="IdentityResolver.RegisterAsync"/>) and
    /// returns the names whose record grew, each with where the paper that grew it came from — their own profiles may
    /// hold papers that now belong to an ORCID profile (<see cref="ReassignProfilesAsync"/>, once those papers' rows are
    /// written). Recorded before the profiles are rebuilt, so a name's id leads to its ORCID profile as soon as that
    /// profile is there. A name joined to an ORCID iD for the first time, and a claim left unconfirmed, go to the
    /// identity history with that source.
    /// </summary>
    /// <param name="written">The papers just written.</param>
    /// <param name="repair">
    /// An attempt after one that did not finish: the earlier one may have recorded an ORCID and stopped before moving
    /// the papers it claims, so every name with an ORCID here is returned, grown or not.
    /// </param>
    /// <param name="sourceOf">Where a paper came from ("abstracts/lab/a.jsonl line 3"), for the history.</param>
    /// <param name="lookup">What the batch read of identities.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<IReadOnlyDictionary<string, string>> RegisterAsync(IEnumerable<Paper> written, bool repair, Func<string, string> sourceOf, IdentityLookup? lookup, CancellationToken cancellationToken)
    {
        var grown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var paper in written.Where(p => p.Authors.Any(a => a.Orcid is not null)))
        {
            var (names, news) = await resolver.RegisterAsync(paper, lookup, cancellationToken).ConfigureAwait(false);
            foreach (var name in repair ? paper.Authors.Where(a => a.Orcid is not null && !a.OrcidUnconfirmed).Select(a => a.NameKey) : names)
            {
                grown.TryAdd(name, sourceOf(paper.Id));
            }

            foreach (var item in news)
            {
                await history.AppendAsync(new IdentityChange
                {
                    Kind = item.Unconfirmed ? IdentityChange.OrcidClaimUnconfirmed : IdentityChange.OrcidLink,
                    Time = clock.GetUtcNow(),
                    Source = sourceOf(paper.Id),
                    Profiles = [item.ProfileId, item.Orcid],
                    Name = item.NameKey,
                    Orcid = item.Orcid,
                    After = new Dictionary<string, string?> { [item.NameKey] = item.Orcid },
                    Papers = [paper.Id],
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        return grown;
    }

    /// <summary>
    /// Records in the history the papers a new ORCID link moved by the co-author rule: one entry per name and pair of
    /// profiles, with the source of the record that linked the name (<paramref name="sourceOf"/>, by name key).
    /// </summary>
    public async Task AuditMovesAsync(IEnumerable<ProfileMove> moves, IReadOnlyDictionary<string, string> sourceOf, CancellationToken cancellationToken)
    {
        foreach (var group in moves.GroupBy(m => (m.NameKey, m.From, m.To)))
        {
            var papersMoved = group.Select(m => m.PaperId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            await history.AppendAsync(new IdentityChange
            {
                Kind = IdentityChange.CoAuthorMove,
                Time = clock.GetUtcNow(),
                Source = sourceOf.GetValueOrDefault(group.Key.NameKey) ?? "ingest",
                Profiles = [group.Key.To, group.Key.From],
                Name = group.Key.NameKey,
                Orcid = AuthorKey.IsOrcid(group.Key.To) ? group.Key.To : null,
                Before = papersMoved.Take(IdentityHistoryStore.MaxPapers).ToDictionary(p => p, _ => (string?)group.Key.From, StringComparer.Ordinal),
                After = papersMoved.Take(IdentityHistoryStore.MaxPapers).ToDictionary(p => p, _ => (string?)group.Key.To, StringComparer.Ordinal),
                Papers = papersMoved,
                PapersMoved = papersMoved.Count,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Resolves every paper of these profiles again; returns how many papers changed profile (and adds each author who
    /// changed profile to <paramref name="moves"/>, when given).
    /// </summary>
    public async Task<int> ReassignProfilesAsync(IEnumerable<string> authorIds, CancellationToken cancellationToken, bool repair = false, ICollection<ProfileMove>? moves = null)
    {
        var paperIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var authorId in authorIds.Distinct(StringComparer.Ordinal))
        {
            paperIds.UnionWith((await authors.ReadPapersAsync(authorId, cancellationToken).ConfigureAwait(false)).Select(p => p.Id));
        }

        return await ReassignPapersAsync(paperIds, edit: null, cancellationToken, repair, moves).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies <paramref name="edit"/> (a curator's move; null for none) to each paper, resolves its authors again and
    /// writes what changed; returns how many papers changed. With <paramref name="repair"/> (an attempt after one that
    /// may have stopped between a paper and its authors' rows) a paper already as resolved has its rows written again.
    /// Each author who changed profile is added to <paramref name="moves"/>, when given (for the identity history).
    /// </summary>
    public async Task<int> ReassignPapersAsync(IReadOnlyCollection<string> paperIds, Func<Paper, Paper>? edit, CancellationToken cancellationToken, bool repair = false, ICollection<ProfileMove>? moves = null)
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

                if (moves is not null)
                {
                    lock (moves)
                    {
                        foreach (var move in moved.Moves)
                        {
                            moves.Add(move);
                        }
                    }
                }

                foreach (var change in moved.Rows)
                {
                    changes.Add(change);
                }
            }
        }).ConfigureAwait(false);

        var writes = new NameIndexWrites();
        foreach (var author in changes.GroupBy(c => c.AuthorId, StringComparer.Ordinal))
        {
            await profiles.ApplyAsync(author.Key, [.. author], cancellationToken, reindex: repair, writes).ConfigureAwait(false);
        }

        // Profiles moved (rare) have their lists and name entries current when this returns, refreshes included.
        await profiles.FlushAsync(writes, cancellationToken, complete: changes.Count > 0).ConfigureAwait(false);

        if (changed > 0)
        {
            logger.LogInformation("Identity: {Papers} of {Total} papers moved between profiles; {Profiles} profiles rebuilt", changed, paperIds.Count, changes.Select(c => c.AuthorId).Distinct().Count());
        }

        return changed;
    }

    /// <summary>The author-row changes of one paper's new resolution (its rows again on a repair), or null for none.</summary>
    private async Task<(bool Changed, IReadOnlyList<AuthorRowChange> Rows, IReadOnlyList<ProfileMove> Moves)?> ReassignAsync(string paperId, Func<Paper, Paper>? edit, IdentityLookup lookup, bool repair, CancellationToken cancellationToken)
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
                return repair ? (false, [.. AuthorRows.Reprojection(stored)], []) : null;
            }

            var after = resolved with { UpdatedAt = clock.GetUtcNow(), RetiredRows = AuthorRows.Retired(stored, resolved) };
            if (await papers.TryReplaceAsync(after, cancellationToken).ConfigureAwait(false))
            {
                return (true, [.. AuthorRows.Changes(stored, after)], [.. ProfileMove.Between(stored, after)]);
            }

            // Another writer changed the paper since it was read: read it again and resolve that.
            await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Paper {paperId} kept changing while its authors were resolved again.");
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>How a revert ended.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<RevertStatus>))]
public enum RevertStatus
{
    /// <summary>The correction was undone; <see cref="RevertOutcome.Revert"/> is the history entry saying so.</summary>
    Reverted,
    /// <summary>No entry with that id.</summary>
    NotFound,
    /// <summary>The entry cannot be reverted: not a correction, already reverted, or changed since by a later one.</summary>
    Conflict,
}

/// <summary>What a revert did: the new history entry (null when nothing was reverted), papers moved, or why not.</summary>
public sealed record RevertOutcome(RevertStatus Status, string? Problem, IdentityChange? Revert, int PapersMoved);

/// <summary>A profile's identity history and the curators' undo (docs/identity.md#audit-trail).</summary>
public interface IIdentityHistory
{
    /// <summary>A page of the history of a profile id, newest first; null when it has none.</summary>
    Task<QueryResult<Page<IdentityChange>>> GetPageAsync(string profileId, string? cursor, int? top, CancellationToken cancellationToken);

    /// <summary>Reverts the correction recorded as <paramref name="entryId"/> on behalf of <paramref name="curator"/>; the revert is itself recorded.</summary>
    Task<RevertOutcome> RevertAsync(string entryId, string curator, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the identity history and reverts corrections. A revert puts back what the entry's <c>before</c> says —
/// merged ids' redirects, a name's curated ORCID iD, a confirmed claim, each moved author's earlier move — only when
/// what it set still holds (a later correction of the same thing must be reverted first), resolves the papers
/// concerned again, and appends a <c>revert</c> entry with the before and after swapped.
/// </summary>
public sealed class IdentityHistory(
    IIdentityHistoryStore history,
    IIdentityStore store,
    IPaperStore papers,
    IdentityReconciler reconciler,
    TimeProvider clock,
    IOptions<ProfileOptions> options,
    ILogger<IdentityHistory> logger) : IIdentityHistory
{
    /// <inheritdoc/>
    public async Task<QueryResult<Page<IdentityChange>>> GetPageAsync(string profileId, string? cursor, int? top, CancellationToken cancellationToken)
    {
        if (ProfileQueries.ValidateTop(top, options.Value) is { } problem)
        {
            return QueryResult<Page<IdentityChange>>.Invalid(problem);
        }

        if (!Cursor.TryDecode(cursor, out var token))
        {
            return QueryResult<Page<IdentityChange>>.Invalid(ProfileQueries.BadCursor);
        }

        var id = ProfileQueries.Normalise(profileId);
        var size = top ?? options.Value.PageSize;
        IdentityHistoryPage page;
        try
        {
            page = await history.GetPageAsync(id, token, size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ProfileQueries.IsBadContinuation(e))
        {
            return QueryResult<Page<IdentityChange>>.Invalid(ProfileQueries.BadCursor);
        }

        if (token is null && page.Entries.Count == 0)
        {
            return QueryResult<Page<IdentityChange>>.Ok(null);
        }

        var next = Cursor.Encode(page.ContinuationToken) is { } c ? $"/api/profiles/{Uri.EscapeDataString(id)}/history?cursor={c}&top={size}" : null;
        return QueryResult<Page<IdentityChange>>.Ok(new Page<IdentityChange>(page.Entries, next));
    }

    /// <inheritdoc/>
    public async Task<RevertOutcome> RevertAsync(string entryId, string curator, CancellationToken cancellationToken)
    {
        if (await history.GetAsync(entryId, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return new RevertOutcome(RevertStatus.NotFound, $"No identity history entry '{entryId}'.", null, 0);
        }

        if (!entry.Revertible)
        {
            return new RevertOutcome(RevertStatus.Conflict, entry.RevertedBy is { } by
                ? $"Entry '{entry.Id}' was reverted already, by '{by}'."
                : $"Entry '{entry.Id}' is a {entry.Kind}, not a curator's correction; a correction changes it (docs/identity.md).", null, 0);
        }

        if (await ChangedSinceAsync(entry, cancellationToken).ConfigureAwait(false) is { } changed)
        {
            return new RevertOutcome(RevertStatus.Conflict, $"Entry '{entry.Id}' no longer holds: {changed}; revert the later correction first.", null, 0);
        }

        // Claimed first, on the entry's ETag: of two reverts at once only one undoes it.
        if (!await history.TryClaimRevertAsync(entry, cancellationToken).ConfigureAwait(false))
        {
            return new RevertOutcome(RevertStatus.Conflict, $"Entry '{entry.Id}' was reverted already.", null, 0);
        }

        var moves = new List<ProfileMove>();
        int moved;
        try
        {
            moved = await UndoAsync(entry, moves, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await history.SetRevertedByAsync(entry, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var papersMoved = moves.Select(m => m.PaperId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var revert = await history.AppendAsync(new IdentityChange
        {
            Kind = IdentityChange.Revert,
            Time = clock.GetUtcNow(),
            Source = "POST /api/admin/identity/revert " + entry.Id,
            Curator = curator,
            Profiles = [.. entry.Profiles, .. moves.SelectMany(m => new[] { m.From, m.To })],
            Name = entry.Name,
            Orcid = entry.Orcid,
            Before = entry.After,
            After = entry.Before,
            Papers = papersMoved,
            PapersMoved = papersMoved.Count,
            RevertOf = entry.Id,
        }, cancellationToken).ConfigureAwait(false);
        await history.SetRevertedByAsync(entry, revert.Id, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Curator {Curator} reverted identity entry {Entry} ({Kind}); {Papers} papers moved", curator, entry.Id, entry.Kind, moved);
        return new RevertOutcome(RevertStatus.Reverted, null, revert, moved);
    }

    /// <summary>What no longer is as the entry set it, or null when everything it set still holds.</summary>
    private async Task<string?> ChangedSinceAsync(IdentityChange entry, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in entry.After)
        {
            var now = entry.Kind switch
            {
                IdentityChange.Merge => (await store.GetAsync(key, cancellationToken).ConfigureAwait(false)).Redirect,
                IdentityChange.Variant => (await store.GetAsync(key, cancellationToken).ConfigureAwait(false)).CuratedOrcid,
                IdentityChange.Confirm => (await store.GetAsync(IdentityStore.NamesKey(value!), cancellationToken).ConfigureAwait(false)).Names.Contains(key) ? value : null,
                _ => await OverrideAsync(key, cancellationToken).ConfigureAwait(false),
            };
            if (now != value)
            {
                return $"'{key}' is now {(now is null ? "unset" : $"'{now}'")}, not '{value}'";
            }
        }

        return null;
    }

    /// <summary>Puts back the entry's before and resolves what it concerns again; returns the papers moved.</summary>
    private async Task<int> UndoAsync(IdentityChange entry, List<ProfileMove> moves, CancellationToken cancellationToken)
    {
        switch (entry.Kind)
        {
            case IdentityChange.Merge:
                foreach (var (from, before) in entry.Before)
                {
                    await store.SetRedirectAsync(from, before, cancellationToken).ConfigureAwait(false);
                }

                // The papers went to the profile merged into; resolved again, they go back where they now belong.
                return await reconciler.ReassignProfilesAsync(entry.After.Values.OfType<string>().Distinct(StringComparer.Ordinal), cancellationToken, moves: moves).ConfigureAwait(false);
            case IdentityChange.Variant:
                foreach (var (name, before) in entry.Before)
                {
                    await store.SetCuratedOrcidAsync(name, before, cancellationToken).ConfigureAwait(false);
                }

                return await reconciler.ReassignProfilesAsync(entry.After.Values.OfType<string>(), cancellationToken, moves: moves).ConfigureAwait(false);
            case IdentityChange.Confirm:
                foreach (var (name, orcid) in entry.After.Where(a => entry.Before.GetValueOrDefault(a.Key) is null))
                {
                    await store.RemoveOrcidNameAsync(orcid!, name, cancellationToken).ConfigureAwait(false);
                }

                return await reconciler.ReassignProfilesAsync(entry.After.Values.OfType<string>(), cancellationToken, moves: moves).ConfigureAwait(false);
            default:
                // A move: each moved author gets back the curator's earlier move of them, or none.
                var earlier = entry.Before.Select(b => (Key: SplitMoved(b.Key), To: b.Value)).ToList();
                return await reconciler.ReassignPapersAsync([.. earlier.Select(b => b.Key.PaperId).Distinct(StringComparer.Ordinal)], paper => paper with
                {
                    AuthorOverrides =
                    [
                        .. paper.AuthorOverrides.Where(o => !earlier.Any(b => b.Key.PaperId == paper.Id && b.Key.NameKey == o.NameKey)),
                        .. earlier.Where(b => b.Key.PaperId == paper.Id && b.To is not null).Select(b => new AuthorOverride(b.Key.NameKey, b.To!)),
                    ],
                }, cancellationToken, moves: moves).ConfigureAwait(false);
        }
    }

    private async Task<string?> OverrideAsync(string movedAuthor, CancellationToken cancellationToken)
    {
        var (paperId, nameKey) = SplitMoved(movedAuthor);
        return (await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false))?.AuthorOverrides.FirstOrDefault(o => o.NameKey == nameKey)?.AuthorId;
    }

    private static (string PaperId, string NameKey) SplitMoved(string movedAuthor)
    {
        var bar = movedAuthor.LastIndexOf('|');
        return (movedAuthor[..bar], movedAuthor[(bar + 1)..]);
    }
}

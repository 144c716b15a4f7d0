using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>Why one correction could not be applied (or only in part).</summary>
public sealed record CorrectionError(string Location, string Message);

/// <summary>What a list of corrections did: corrections applied, papers that changed profile, and the errors.</summary>
public sealed record CorrectionsOutcome(int Applied, int PapersMoved, IReadOnlyList<CorrectionError> Errors);

/// <summary>
/// Applies curators' identity corrections (docs/identity.md). Each is stored where resolution reads it — a merge as
/// redirect rows, a variant as the name's curated ORCID, a move on the papers themselves — and the papers it concerns
/// are resolved again, so a correction holds for papers ingested later and survives their re-ingest. Applying the same
/// file again changes nothing. Every correction that changed something is appended to the identity history of the
/// profiles it concerns, with its file and place, the curator, what it replaced and the papers it moved, so it can be
/// reverted (<see cref="IdentityHistory"/>).
/// </summary>
public sealed class IdentityCorrector(
    IIdentityStore store,
    IPaperStore papers,
    IdentityResolver resolver,
    IdentityReconciler reconciler,
    IIdentityHistoryStore history,
    TimeProvider clock,
    ILogger<IdentityCorrector> logger)
{
    /// <summary>
    /// Applies every correction that can be, in order. <paramref name="repair"/>: an attempt after one that did not
    /// finish, which may have moved a paper and stopped before its authors' rows; those are written again.
    /// </summary>
    public async Task<CorrectionsOutcome> ApplyAsync(IReadOnlyList<IdentityCorrection> corrections, CancellationToken cancellationToken, bool repair = false, CurationSource? source = null)
    {
        var errors = new List<CorrectionError>();
        var applied = 0;
        var moved = 0;
        foreach (var correction in corrections)
        {
            var moves = new List<ProfileMove>();
            var (problem, papersMoved, change) = correction switch
            {
                MergeCorrection merge => await MergeAsync(merge, repair, moves, cancellationToken).ConfigureAwait(false),
                MoveCorrection move => await MoveAsync(move, repair, moves, cancellationToken).ConfigureAwait(false),
                VariantCorrection variant => await VariantAsync(variant, repair, moves, cancellationToken).ConfigureAwait(false),
                ConfirmCorrection confirm => await ConfirmAsync(confirm, repair, moves, cancellationToken).ConfigureAwait(false),
                _ => ("unknown correction", 0, null),
            };
            moved += papersMoved;
            await AuditAsync(change, correction, source ?? CurationSource.Direct, moves, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                applied++;
            }
            else
            {
                errors.Add(new CorrectionError(correction.Location, problem));
            }
        }

        logger.LogInformation("Identity corrections: {Applied} of {Count} applied, {Papers} papers moved", applied, corrections.Count, moved);
        return new CorrectionsOutcome(applied, moved, errors);
    }

    private async Task<(string? Problem, int Moved, IdentityChange? Change)> MergeAsync(MergeCorrection merge, bool repair, List<ProfileMove> moves, CancellationToken cancellationToken)
    {
        // A merge into an id that (through earlier merges) leads back to one being merged would make a loop.
        var lookup = new IdentityLookup(store);
        if (merge.From.Contains(await lookup.FollowAsync(merge.Into, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal))
        {
            return ($"'{merge.Into}' is itself merged into one of {string.Join(", ", merge.From.Select(f => $"'{f}'"))}; merging back would make a loop", 0, null);
        }

        var before = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var from in merge.From)
        {
            before[from] = (await lookup.GetAsync(from, cancellationToken).ConfigureAwait(false)).Redirect;
            await store.SetRedirectAsync(from, merge.Into, cancellationToken).ConfigureAwait(false);
        }

        // A repair also re-projects the papers already in the profile merged into (a stopped attempt moved them there).
        var moved = await reconciler.ReassignProfilesAsync(repair ? [.. merge.From, merge.Into] : merge.From, cancellationToken, repair, moves).ConfigureAwait(false);
        return (null, moved, new IdentityChange
        {
            Kind = IdentityChange.Merge,
            Time = default,
            Source = "",
            Profiles = [merge.Into, .. merge.From],
            Orcid = AuthorKey.IsOrcid(merge.Into) ? merge.Into : null,
            Before = before,
            After = merge.From.ToDictionary(f => f, _ => (string?)merge.Into, StringComparer.Ordinal),
        });
    }

    private async Task<(string? Problem, int Moved, IdentityChange? Change)> MoveAsync(MoveCorrection move, bool repair, List<ProfileMove> moves, CancellationToken cancellationToken)
    {
        var found = await papers.ResolveAliasesAsync(move.Papers.Select(p => PaperIdentity.FromGivenId(p) ?? p), cancellationToken).ConfigureAwait(false);
        var missing = move.Papers.Where(p => !found.ContainsKey(PaperIdentity.FromGivenId(p) ?? p)).ToList();
        var targets = new List<string>();
        var notOnPaper = new List<string>();
        // Each author moved, as "paper|name key", and the curator's earlier move of them (null: none), for the history.
        var before = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var paperId in found.Values.Distinct(StringComparer.Ordinal))
        {
            var paper = await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false);
            (paper is not null && paper.Authors.Any(a => IsAuthor(a, move.From)) ? targets : notOnPaper).Add(paperId);
            foreach (var author in paper?.Authors.Where(a => IsAuthor(a, move.From)) ?? [])
            {
                before[MovedAuthor(paperId, author.NameKey)] = paper!.AuthorOverrides.FirstOrDefault(o => o.NameKey == author.NameKey)?.AuthorId;
            }
        }

        var moved = await reconciler.ReassignPapersAsync(targets, paper => Moved(paper, move), cancellationToken, repair, moves).ConfigureAwait(false);
        var problems = missing.Select(p => $"no stored paper '{p}'").Concat(notOnPaper.Select(p => $"'{move.From}' is not an author of {p}")).ToList();
        var change = targets.Count == 0 ? null : new IdentityChange
        {
            Kind = IdentityChange.Move,
            Time = default,
            Source = "",
            Profiles = [move.To, move.From],
            Before = before,
            After = before.Keys.ToDictionary(k => k, _ => (string?)move.To, StringComparer.Ordinal),
        };
        return (problems.Count == 0 ? null : string.Join("; ", problems) + (targets.Count > 0 ? $" (the other {targets.Count} papers were moved)" : ""), moved, change);
    }

    /// <summary>How a move's history entry names one moved author: "{paper id}|{name key}".</summary>
    internal static string MovedAuthor(string paperId, string nameKey) => paperId + "|" + nameKey;

    private async Task<(string? Problem, int Moved, IdentityChange? Change)> VariantAsync(VariantCorrection variant, bool repair, List<ProfileMove> moves, CancellationToken cancellationToken)
    {
        var nameKey = AuthorKey.FromName(variant.Name);
        var before = (await store.GetAsync(nameKey, cancellationToken).ConfigureAwait(false)).CuratedOrcid;
        await store.SetCuratedOrcidAsync(nameKey, variant.Orcid, cancellationToken).ConfigureAwait(false);
        var moved = await reconciler.ReassignProfilesAsync(repair ? [nameKey, variant.Orcid] : [nameKey], cancellationToken, repair, moves).ConfigureAwait(false);
        return (null, moved, NameChange(IdentityChange.Variant, nameKey, variant.Orcid, before));
    }

    private async Task<(string? Problem, int Moved, IdentityChange? Change)> ConfirmAsync(ConfirmCorrection confirm, bool repair, List<ProfileMove> moves, CancellationToken cancellationToken)
    {
        var nameKey = AuthorKey.FromName(confirm.Name);
        var wasJoined = !await store.AddOrcidNameAsync(confirm.Orcid, nameKey, cancellationToken).ConfigureAwait(false);
        // The papers that claimed it: the ones kept with the claim, and whatever the name's profile holds.
        var claimed = (await store.GetAsync(IdentityStore.NamesKey(confirm.Orcid), cancellationToken).ConfigureAwait(false)).Claims.GetValueOrDefault(nameKey) ?? [];
        var moved = await reconciler.ReassignPapersAsync([.. claimed], edit: null, cancellationToken, repair, moves).ConfigureAwait(false);
        moved += await reconciler.ReassignProfilesAsync([await new IdentityLookup(store).FollowAsync(nameKey, cancellationToken).ConfigureAwait(false)], cancellationToken, repair, moves).ConfigureAwait(false);

        // Their co-authors now count for the name's later papers without an ORCID, as for any joined name.
        foreach (var paperId in moves.Select(m => m.PaperId).Distinct(StringComparer.Ordinal))
        {
            if (await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false) is { } paper)
            {
                await resolver.RegisterAsync(paper, lookup: null, cancellationToken).ConfigureAwait(false);
            }
        }

        return (null, moved, NameChange(IdentityChange.Confirm, nameKey, confirm.Orcid, wasJoined ? confirm.Orcid : null));
    }

    private static IdentityChange NameChange(string kind, string nameKey, string orcid, string? before) => new()
    {
        Kind = kind,
        Time = default,
        Source = "",
        Profiles = [orcid, nameKey],
        Name = nameKey,
        Orcid = orcid,
        Before = new Dictionary<string, string?> { [nameKey] = before },
        After = new Dictionary<string, string?> { [nameKey] = orcid },
    };

    /// <summary>Appends a correction that changed something (a value it set, or papers it moved) to the history.</summary>
    private async Task AuditAsync(IdentityChange? change, IdentityCorrection correction, CurationSource source, List<ProfileMove> moves, CancellationToken cancellationToken)
    {
        var moved = moves.Select(m => m.PaperId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (change is null || (moved.Count == 0 && change.Before.All(b => change.After.GetValueOrDefault(b.Key) == b.Value)))
        {
            return;
        }

        await history.AppendAsync(change with
        {
            Time = clock.GetUtcNow(),
            Source = $"{source.File} {correction.Location}",
            Curator = source.Curator,
            Profiles = [.. change.Profiles, .. moves.SelectMany(m => new[] { m.From, m.To })],
            Papers = moved,
            PapersMoved = moved.Count,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The paper with the author <c>From</c> (by profile or name) moved to <c>To</c>, replacing an earlier move of that author.</summary>
    private static Paper Moved(Paper paper, MoveCorrection move)
    {
        var names = paper.Authors.Where(a => IsAuthor(a, move.From)).Select(a => a.NameKey).ToHashSet(StringComparer.Ordinal);
        return names.Count == 0
            ? paper
            : paper with { AuthorOverrides = [.. paper.AuthorOverrides.Where(o => !names.Contains(o.NameKey)), .. names.Order(StringComparer.Ordinal).Select(n => new AuthorOverride(n, move.To))] };
    }

    // The author the curator means: by the profile the paper puts them in, or by their name's own id (so applying the
    // file again, after the move, still finds them).
    private static bool IsAuthor(PaperAuthor author, string id) => author.Id == id || author.NameKey == id;
}

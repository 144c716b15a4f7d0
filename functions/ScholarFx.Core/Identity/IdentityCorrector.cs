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
/// file again changes nothing.
/// </summary>
public sealed class IdentityCorrector(IIdentityStore store, IPaperStore papers, IdentityReconciler reconciler, ILogger<IdentityCorrector> logger)
{
    /// <summary>
    /// Applies every correction that can be, in order. <paramref name="repair"/>: an attempt after one that did not
    /// finish, which may have moved a paper and stopped before its authors' rows; those are written again.
    /// </summary>
    public async Task<CorrectionsOutcome> ApplyAsync(IReadOnlyList<IdentityCorrection> corrections, CancellationToken cancellationToken, bool repair = false)
    {
        var errors = new List<CorrectionError>();
        var applied = 0;
        var moved = 0;
        foreach (var correction in corrections)
        {
            var (problem, papersMoved) = correction switch
            {
                MergeCorrection merge => await MergeAsync(merge, repair, cancellationToken).ConfigureAwait(false),
                MoveCorrection move => await MoveAsync(move, repair, cancellationToken).ConfigureAwait(false),
                VariantCorrection variant => await VariantAsync(variant, repair, cancellationToken).ConfigureAwait(false),
                _ => ("unknown correction", 0),
            };
            moved += papersMoved;
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

    private async Task<(string? Problem, int Moved)> MergeAsync(MergeCorrection merge, bool repair, CancellationToken cancellationToken)
    {
        // A merge into an id that (through earlier merges) leads back to one being merged would make a loop.
        var lookup = new IdentityLookup(store);
        if (merge.From.Contains(await lookup.FollowAsync(merge.Into, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal))
        {
            return ($"'{merge.Into}' is itself merged into one of {string.Join(", ", merge.From.Select(f => $"'{f}'"))}; merging back would make a loop", 0);
        }

        foreach (var from in merge.From)
        {
            await store.SetRedirectAsync(from, merge.Into, cancellationToken).ConfigureAwait(false);
        }

        // A repair also re-projects the papers already in the profile merged into (a stopped attempt moved them there).
        return (null, await reconciler.ReassignProfilesAsync(repair ? [.. merge.From, merge.Into] : merge.From, cancellationToken, repair).ConfigureAwait(false));
    }

    private async Task<(string? Problem, int Moved)> MoveAsync(MoveCorrection move, bool repair, CancellationToken cancellationToken)
    {
        var found = await papers.ResolveAliasesAsync(move.Papers.Select(p => PaperIdentity.FromGivenId(p) ?? p), cancellationToken).ConfigureAwait(false);
        var missing = move.Papers.Where(p => !found.ContainsKey(PaperIdentity.FromGivenId(p) ?? p)).ToList();
        var targets = new List<string>();
        var notOnPaper = new List<string>();
        foreach (var paperId in found.Values.Distinct(StringComparer.Ordinal))
        {
            var paper = await papers.GetPaperAsync(paperId, cancellationToken).ConfigureAwait(false);
            (paper is not null && paper.Authors.Any(a => IsAuthor(a, move.From)) ? targets : notOnPaper).Add(paperId);
        }

        var moved = await reconciler.ReassignPapersAsync(targets, paper => Moved(paper, move), cancellationToken, repair).ConfigureAwait(false);
        var problems = missing.Select(p => $"no stored paper '{p}'").Concat(notOnPaper.Select(p => $"'{move.From}' is not an author of {p}")).ToList();
        return (problems.Count == 0 ? null : string.Join("; ", problems) + (targets.Count > 0 ? $" (the other {targets.Count} papers were moved)" : ""), moved);
    }

    private async Task<(string? Problem, int Moved)> VariantAsync(VariantCorrection variant, bool repair, CancellationToken cancellationToken)
    {
        var nameKey = AuthorKey.FromName(variant.Name);
        await store.SetCuratedOrcidAsync(nameKey, variant.Orcid, cancellationToken).ConfigureAwait(false);
        return (null, await reconciler.ReassignProfilesAsync(repair ? [nameKey, variant.Orcid] : [nameKey], cancellationToken, repair).ConfigureAwait(false));
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

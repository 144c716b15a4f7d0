using Microsoft.Extensions.Logging;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Writes one paper of an ingest batch without losing another writer's work: a new paper first claims its aliases (so
/// two first sightings of one paper under different ids become one paper) and is added only if its id is free; a known
/// one is replaced only if it is still the version read. When another writer (a second file, settling,
/// the rescore) got there first, the record is merged again into what that writer stored (scored again if the text it
/// would store changed) and the write is tried again.
/// </summary>
public sealed class PaperWriter(IPaperStore papers, PaperMerger merger, Identity.IdentityResolver identities, ScoringPipeline scoring, TimeProvider clock, ILogger<PaperWriter> logger)
{
    private const int MaxAttempts = 20;

    /// <summary>
    /// Stores <paramref name="after"/> (the merge of <paramref name="record"/> into <paramref name="before"/>, or the
    /// new paper when <paramref name="before"/> is null); returns what was stored and what it replaced. When another
    /// writer's version already says everything the record does (or the other writer was this one: a write whose answer
    /// was lost), that version is returned as both, so its aliases, view facts and author rows are still made sure of.
    /// The paper's aliases are in place when it returns.
    /// </summary>
    public async Task<(Paper? Before, Paper After)> WriteAsync(Paper? before, Paper after, SourceRecord record, ScoringRun run, Identity.IdentityLookup lookup, CancellationToken cancellationToken)
    {
        // A new paper whose claim took every alias needs no alias written after it; any other writes its aliases then
        // (first claimer wins each; the ones it already holds answer 409 and stay).
        var claimedAll = false;
        if (before is null)
        {
            var owner = await papers.ClaimAliasesAsync(after.Id, after.Aliases, cancellationToken).ConfigureAwait(false);
            claimedAll = owner is null;
            if (owner is not null)
            {
                // Another writer claimed one of the record's ids first, at the same moment or before and then stopped:
                // the record describes that paper. Writing under its id meets that writer's paper (merged into it) or,
                // when it never wrote one, stores the paper its aliases point at.
                logger.LogInformation("A record of {PaperId} shares an id with paper {Owner}, claimed at the same moment; merged into it", after.Id, owner);
                after = after with { Id = owner };
            }
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            after = after with { UpdatedAt = clock.GetUtcNow(), RetiredRows = before is null ? [] : AuthorRows.Retired(before, after) };
            var stored = before is null
                ? await papers.TryAddAsync(after, cancellationToken).ConfigureAwait(false)
                : await papers.TryReplaceAsync(after, cancellationToken).ConfigureAwait(false);
            if (stored)
            {
                return await WithAliasesAsync(before, after).ConfigureAwait(false);
            }

            // Papers are never deleted, so the paper is there: another writer created or changed it since we read.
            var current = await papers.GetPaperAsync(after.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Paper {after.Id} conflicted on write but cannot be read.");
            logger.LogDebug("Paper {PaperId} was written by another writer meanwhile; merging again (attempt {Attempt})", after.Id, attempt);
            var merged = await identities.ResolveAsync(merger.Merge(current, record), lookup, cancellationToken).ConfigureAwait(false);
            if (!PaperMerger.Differs(current, merged))
            {
                return await WithAliasesAsync(current, current).ConfigureAwait(false);
            }

            before = current;
            after = merged.ContentHash == current.ContentHash ? merged
                // The text this batch scored: its scores and embedding hold.
                : merged.ContentHash == after.ContentHash ? merged with { Scores = after.Scores, Embedding = after.Embedding }
                : (await scoring.ScoreAsync([merged], run, cancellationToken).ConfigureAwait(false))[0];
            await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Paper {after.Id} could not be written after {MaxAttempts} attempts (it kept changing).");

        async Task<(Paper? Before, Paper After)> WithAliasesAsync(Paper? was, Paper now)
        {
            if (!claimedAll)
            {
                await papers.AddAliasesAsync(now.Id, now.Aliases, cancellationToken).ConfigureAwait(false);
            }

            return (was, now);
        }
    }
}

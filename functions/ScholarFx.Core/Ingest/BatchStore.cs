using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Stores the batches of a file: merge and dedupe (aliases) → score (provisional) → papers (<see cref="PaperWriter"/>)
/// and aliases → the shared corpus view → each touched author's rows and profile once per batch, then the batch's
/// name-index rows → ask for settling.
/// The next batch is embedded while this one is written.
/// </summary>
public sealed class BatchStore(
    PaperMerger merger,
    IPaperStore papers,
    PaperWriter writer,
    ScoringPipeline scoring,
    Scoring.View.CorpusView view,
    Settle.SettleRequests settling,
    ProfileBuilder profiles,
    StatsStore stats,
    Identity.IdentityResolver identities,
    Identity.IdentityReconciler reconciler,
    IOptions<IngestOptions> options,
    ILogger<BatchStore> logger,
    Scoring.Embeddings.EmbeddingStage? embeddings = null)
{
    /// <summary>
    /// Writes the refreshes of rankings and name entries this process's batches have gathered
    /// (<see cref="ProfileBuilder.FlushAsync"/>): at a file's checkpoints and end, so a resumed attempt — which writes
    /// the entries of the batches after its checkpoint again — and a finished file's readers find them current. The
    /// last batch of a file writes them with its own rows (<see cref="HandOverAsync"/>, <c>complete</c>).
    /// </summary>
    internal Task CompleteAsync(CancellationToken cancellationToken) => profiles.FlushAsync(new NameIndexWrites(), cancellationToken, complete: true);

    /// <summary>
    /// Starts embedding <paramref name="batch"/> now (CPU) while the previous batch is still being written (I/O),
    /// then, once that write is done, stores this batch. Batches are stored strictly in order, one at a time.
    /// <paramref name="complete"/>: the file's last batch, whose flush writes the refreshes gathered too.
    /// </summary>
    internal async Task<Task> HandOverAsync(Task previous, List<SourceRecord> batch, IngestTally tally, bool repair, CancellationToken cancellationToken, bool complete = false)
    {
        var prefetch = embeddings is null || batch.Count == 0
            ? Task.CompletedTask
            // The paper a record becomes carries the text and content hash that scoring will look up.
            : Task.Run(() => embeddings.PrefetchAsync(batch.Where(r => r.Published is not null).Select(merger.Create), cancellationToken), cancellationToken);
        await previous.ConfigureAwait(false);
        return StoreAfterAsync(prefetch, batch, tally, repair, cancellationToken, complete);
    }

    private async Task StoreAfterAsync(Task prefetch, List<SourceRecord> batch, IngestTally tally, bool repair, CancellationToken cancellationToken, bool complete)
    {
        try
        {
            await prefetch.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Scoring embeds what the prefetch could not and reports a failure there.
            logger.LogWarning(e, "Prefetching embeddings failed; the batch is embedded while scoring");
        }

        if (!await StoreBatchAsync(batch, tally, repair, cancellationToken, complete).ConfigureAwait(false) && complete)
        {
            // A last batch with nothing to project (empty, or every record unchanged) flushes on its own.
            await CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Merges, scores and stores one batch; projects it into its authors' rows and asks for settling.</summary>
    /// <param name="records">The batch's valid records.</param>
    /// <param name="tally">The file's counts and errors.</param>
    /// <param name="repair">
    /// True in an attempt after one that did not finish: a paper the record leaves unchanged may be one the failed
    /// attempt wrote without its aliases, its place in the corpus view or its authors' rows, so those are written
    /// again (each is idempotent) instead of being skipped.
    /// </param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <param name="complete">The file's last batch: its flush writes the refreshes gathered too.</param>
    /// <returns>Whether the batch's authors were flushed.</returns>
    private async Task<bool> StoreBatchAsync(List<SourceRecord> records, IngestTally tally, bool repair, CancellationToken cancellationToken, bool complete)
    {
        if (records.Count == 0)
        {
            return false;
        }

        // 1. Records of this batch that share any alias are one paper.
        var groups = RecordGroups.ByAlias(records);
        tally.Merged += records.Count - groups.Count;

        // 2. Which stored papers do they match? Only aliases a paper in the corpus view gives are looked up: one that no
        // paper gives costs nothing, and a paper another instance stored meanwhile is met by the alias claim instead
        // (PaperWriter) and merged into. A partial date must match a stored paper, and a repair meets its own earlier
        // attempt's papers, so both look every alias up.
        var aliases = repair ? [.. groups.SelectMany(g => g.Aliases())]
            : await view.UseAsync(state => groups.SelectMany(g => g.Published is null ? g.Aliases() : g.Aliases().Where(state.MayHold)).ToList(), cancellationToken).ConfigureAwait(false);
        var resolved = await papers.ResolveAliasesAsync(aliases, cancellationToken).ConfigureAwait(false);
        var work = new ConcurrentBag<(Paper? Before, Paper After, SourceRecord Record)>();
        var lookup = identities.NewLookup();
        // The names, and the ORCID iDs given (whose known names a claim is checked against).
        await lookup.PrefetchAsync(groups.SelectMany(g => g.Authors.SelectMany(a => a.Orcid is { } orcid ? [a.NameKey, IdentityStore.NamesKey(orcid)] : new[] { a.NameKey })), cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(groups, WriteOptions(cancellationToken), async (record, ct) =>
        {
            var match = record.Aliases().Select(a => resolved.GetValueOrDefault(a)).FirstOrDefault(id => id is not null);
            var stored = match is null ? null : await papers.GetPaperAsync(match, ct).ConfigureAwait(false);
            if (stored is null && record.Published is null)
            {
                // Only a year (or year and month): it may add to a known paper, never create one.
                tally.Reject(new IngestError(record.Location, RecordValidator.PartialDateProblem(record.PublishedPartly ?? "a partial date")));
                return;
            }

            // Each author's profile: ORCID, curators' corrections, co-authors (docs/identity.md).
            var after = await identities.ResolveAsync(stored is null ? merger.Create(record) : merger.Merge(stored, record), lookup, ct).ConfigureAwait(false);
            work.Add((stored, after, record));
        }).ConfigureAwait(false);

        // 3. Score what is new or changed text; a paper whose text is unchanged keeps its scores.
        var changed = work.Where(w => w.Before is null || PaperMerger.Differs(w.Before, w.After)).ToList();
        var toScore = changed.Where(w => w.Before is null || w.Before.ContentHash != w.After.ContentHash).Select(w => w.After).ToList();
        var scored = (await scoring.ScoreAsync(toScore, tally.Scoring, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        tally.Unchanged += work.Count - changed.Count;
        var reproject = repair ? work.Where(w => w.Before is not null && !PaperMerger.Differs(w.Before, w.After)).Select(w => w.Before!).ToList() : [];

        // 4. Papers and their aliases.
        var written = new ConcurrentBag<(Paper? Before, Paper After)>();
        await Parallel.ForEachAsync(changed, WriteOptions(cancellationToken), async (w, ct) =>
            written.Add(await writer.WriteAsync(w.Before, scored.GetValueOrDefault(w.After.Id) ?? w.After, w.Record, tally.Scoring, lookup, ct).ConfigureAwait(false))).ConfigureAwait(false);
        await Parallel.ForEachAsync(reproject, WriteOptions(cancellationToken), async (paper, ct) =>
            await papers.AddAliasesAsync(paper.Id, paper.Aliases, ct).ConfigureAwait(false)).ConfigureAwait(false);

        // A write that only kept a newer version of what a source already said (a page harvested again) changes nothing
        // that scores, author rows or the corpus view are built from: counted unchanged, projected only on repair. (A
        // writer's answer of one version as both, another writer's or its own lost one, is projected as before.)
        var keptOnly = written.Where(w => w.Before is not null && PaperMerger.Differs(w.Before, w.After) && !PaperMerger.FactsDiffer(w.Before, w.After)).ToList();
        if (repair)
        {
            reproject.AddRange(keptOnly.Select(w => w.After));
        }

        written = new ConcurrentBag<(Paper? Before, Paper After)>(written.Except(keptOnly));
        tally.Unchanged += keptOnly.Count;
        var created = 0;
        foreach (var (before, after) in written)
        {
            if (before is null)
            {
                created++;
            }
            else if (before.Sources.SequenceEqual(after.Sources))
            {
                tally.Updated++;
            }
            else
            {
                tally.Merged++;
            }
        }

        tally.Created += created;
        var uniqueAggregateKeys = await stats.AddPapersAsync(created, cancellationToken).ConfigureAwait(false);
        // Every instance's view learns of these papers before settling is asked for.
        await view.PublishAsync(written.Select(w => w.After).Concat(reproject), cancellationToken).ConfigureAwait(false);

        // ORCIDs the papers give, recorded before their profiles appear (a name's id then leads to its ORCID profile).
        // Where each paper came from, for the identity history of what its ORCIDs changed.
        var locations = work.GroupBy(w => w.After.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Record.Location, StringComparer.Ordinal);
        string SourceOf(string paperId) => locations.TryGetValue(paperId, out var location) ? $"{tally.File} {location}" : tally.File;
        var grown = await reconciler.RegisterAsync(written.Select(w => w.After).Concat(reproject), repair, SourceOf, lookup, cancellationToken).ConfigureAwait(false);

        // 5. Each touched author's rows and profile: the profiles of a bucket's authors in one transaction.
        var changes = written.SelectMany(w => AuthorRows.Changes(w.Before, w.After)).Concat(reproject.SelectMany(AuthorRows.Reprojection))
            .GroupBy(c => c.AuthorId, StringComparer.Ordinal).ToList();
        // Their name-index rows and ranking moves once all are committed, a transaction per partition.
        var writes = new NameIndexWrites();
        await profiles.ApplyManyAsync([.. changes.Select(a => (a.Key, (IReadOnlyList<AuthorRowChange>)[.. a]))], options.Value.RebuildParallelism, writes, cancellationToken, reindex: repair, legacyKey: !uniqueAggregateKeys).ConfigureAwait(false);
        await profiles.FlushAsync(writes, cancellationToken, complete).ConfigureAwait(false);

        // 6. ORCIDs seen with a name for the first time (or with new co-authors) may claim that name's earlier papers.
        if (grown.Count > 0)
        {
            var moves = new List<Identity.ProfileMove>();
            await reconciler.ReassignProfilesAsync(grown.Keys, cancellationToken, repair, moves).ConfigureAwait(false);
            await reconciler.AuditMovesAsync(moves, grown, cancellationToken).ConfigureAwait(false);
        }

        if (written.Count > 0 || reproject.Count > 0)
        {
            await settling.RequestAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private ParallelOptions WriteOptions(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Value.WriteParallelism, CancellationToken = cancellationToken };
}

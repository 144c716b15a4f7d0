using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>Ingests an abstract file.</summary>
public interface IIngestService
{
    /// <summary>
    /// Ingests the blob's current version: reads its ETag, then its content on condition of that ETag, so a blob
    /// overwritten meanwhile is never recorded as done with the other version's content (that attempt ends
    /// <c>failed</c>, "replaced while it was read"; the new version has its own event and receipt).
    /// </summary>
    Task<Receipt> IngestAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the records of <paramref name="content"/>, the version <paramref name="blobETag"/> of the blob, merges
    /// them into the corpus, scores and stores them, rebuilds the touched profiles and writes the version's receipt.
    /// A version already processed is not processed again.
    /// </summary>
    Task<Receipt> IngestAsync(string blobName, string blobETag, Stream content, CancellationToken cancellationToken);
}

/// <summary>
/// The ingest pipeline: stream → validate → merge/dedupe (aliases) → score (batch, provisional) → tables → the shared
/// corpus view → rebuild each touched profile once per batch → ask for settling. Bad records are reported in the
/// receipt and skipped; the input blob is only ever read.
/// </summary>
public sealed class IngestService(
    ScholarFxStorage storage,
    FormatDetector detector,
    RecordValidator validator,
    PaperMerger merger,
    IPaperStore papers,
    PaperWriter writer,
    ScoringPipeline scoring,
    Scoring.View.CorpusView view,
    Settle.SettleRequests settling,
    ProfileBuilder profiles,
    ReceiptStore receipts,
    VersionLease lease,
    StatsStore stats,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<IngestService> logger,
    Scoring.Embeddings.EmbeddingStage? embeddings = null) : IIngestService
{
    /// <summary>
    /// Text (title + abstract characters) one batch may hold before it is handed over, whatever the batch size: a
    /// record in flight costs many times its text, so 100 records of 256K characters each took the process past
    /// 800 MiB. Ordinary abstracts (a few thousand characters) never reach it.
    /// </summary>
    internal const int MaxBatchChars = 1024 * 1024;

    /// <inheritdoc/>
    public async Task<Receipt> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var blob = storage.Abstracts.GetBlobClient(blobName);
        var version = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag;
        // Opening reads nothing yet; every read of the content is on condition of this version.
        var content = await blob.OpenReadAsync(
            new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false) { Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = version } },
            cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            return await IngestAsync(blobName, version.ToString(), content, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<Receipt> IngestAsync(string blobName, string blobETag, Stream content, CancellationToken cancellationToken)
    {
        using var activity = ScholarFxTelemetry.Source.StartActivity("ingest");
        activity?.SetTag("scholarfx.blob", blobName);
        activity?.SetTag("scholarfx.blob.etag", blobETag);
        try
        {
            var receipt = await AttemptAsync(blobName, blobETag, content, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("scholarfx.receipt.status", receipt.Status);
            activity?.SetTag("scholarfx.receipt.attempts", receipt.Attempts);
            return receipt;
        }
        catch (Exception e)
        {
            ScholarFxTelemetry.Failed(activity, e);
            throw;
        }
    }

    private async Task<Receipt> AttemptAsync(string blobName, string blobETag, Stream content, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var (existing, receiptETag) = await lease.WaitForHolderAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false);
        if (existing is { IsFinal: true })
        {
            logger.LogInformation("Blob {Blob} version {ETag} was already ingested ({Status}); skipped", blobName, blobETag, existing.Status);
            return existing;
        }

        // Every invocation of this version counts, as the host counts them: after MaxAttempts failures (host.json's
        // poisonBlobThreshold) the host stops retrying, so the attempt that reaches it records poison itself.
        var attempts = (existing?.Attempts ?? 0) + 1;
        if (attempts > options.Value.MaxAttempts)
        {
            var poison = existing! with { Status = ReceiptStatus.Poison, CompletedAt = clock.GetUtcNow() };
            await receipts.WriteAsync(poison, cancellationToken).ConfigureAwait(false);
            logger.LogError("Blob {Blob} version {ETag} failed {Attempts} times; recorded as poison and skipped", blobName, blobETag, existing.Attempts);
            return poison;
        }

        var receipt = existing is { Checkpoint: > 0 }
            ? existing with { Status = ReceiptStatus.Processing, Attempts = attempts, ResumedFrom = existing.Checkpoint, CompletedAt = null }
            : new Receipt
            {
                Blob = blobName,
                BlobETag = blobETag,
                Status = ReceiptStatus.Processing,
                Attempts = attempts,
                StartedAt = clock.GetUtcNow(),
                LastFailure = existing?.LastFailure,
            };
        receipt = receipt with { Owner = Guid.NewGuid().ToString("N"), LeaseUntil = clock.GetUtcNow() + lease.Length };
        if (receipt.ResumedFrom > 0)
        {
            logger.LogInformation("Blob {Blob} version {ETag}: resuming after record {Checkpoint} (attempt {Attempt})", blobName, blobETag, receipt.ResumedFrom, attempts);
        }

        if (!await receipts.TryWriteAsync(receipt, existing is null ? null : receiptETag, cancellationToken).ConfigureAwait(false)
            // A claim whose answer was lost and whose retry then conflicted with itself is still ours.
            && (await receipts.GetAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false)).Receipt?.Owner != receipt.Owner)
        {
            // Another invocation took this blob version at the same moment; it owns the receipt.
            logger.LogWarning("Blob {Blob} version {ETag} is being ingested by another invocation; skipped", blobName, blobETag);
            return (await receipts.GetAsync(blobName, blobETag, cancellationToken).ConfigureAwait(false)).Receipt ?? receipt;
        }

        using var stopRenewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = lease.RenewAsync(receipt, stopRenewing.Token);
        try
        {
            // An earlier attempt of this version that did not finish may have stopped between writing a paper and
            // projecting it into its authors' rows: this attempt re-projects what it finds already stored.
            var finished = await ReadAndStoreAsync(blobName, content, receipt, repair: existing is not null, cancellationToken).ConfigureAwait(false);
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await receipts.WriteAsync(finished with { LeaseUntil = null }, cancellationToken).ConfigureAwait(false);
            Count(finished);
            logger.LogInformation(
                "Ingested {Blob}: {Status}, {Created} created, {Updated} updated, {Merged} merged, {Rejected} rejected of {Read} records",
                blobName, finished.Status, finished.PapersCreated, finished.PapersUpdated, finished.PapersMerged, finished.RecordsRejected, finished.RecordsRead);
            return finished;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unexpected (storage down, a bug, a broken stream): record the attempt on the latest checkpoint and let
            // the host retry the invocation, which resumes after that checkpoint (the lease ends now: it need not wait).
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            var (latest, _) = await receipts.GetAsync(blobName, blobETag, CancellationToken.None).ConfigureAwait(false);
            var failed = (latest ?? receipt) with { LastFailure = e.GetType().Name + ": " + e.Message, LeaseUntil = null };
            if (e is RequestFailedException { Status: 412 })
            {
                // The blob was overwritten while this version was read: this version cannot be read whole any more,
                // and the new one is ingested by its own event under its own receipt.
                var replaced = failed with
                {
                    Status = ReceiptStatus.Failed,
                    Errors = [.. failed.Errors, new IngestError("file", "the blob was replaced while this version was read; the new version is ingested on its own")],
                    CompletedAt = clock.GetUtcNow(),
                };
                await receipts.WriteAsync(replaced, CancellationToken.None).ConfigureAwait(false);
                Count(replaced);
                logger.LogWarning("Blob {Blob} version {ETag} was replaced while it was read; recorded as failed, the new version has its own receipt", blobName, blobETag);
                return replaced;
            }

            if (attempts >= options.Value.MaxAttempts)
            {
                // The host will not call again: the receipt must not stay "processing".
                failed = failed with { Status = ReceiptStatus.Poison, CompletedAt = clock.GetUtcNow() };
                Count(failed);
                logger.LogError(e, "Blob {Blob} version {ETag} failed {Attempts} times; recorded as poison", blobName, blobETag, attempts);
            }

            await receipts.WriteAsync(failed, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Counts a file whose ingest ended and its records, in the service's metrics.</summary>
    private static void Count(Receipt receipt)
    {
        ScholarFxTelemetry.Files.Add(1, new KeyValuePair<string, object?>("status", receipt.Status));
        foreach (var (outcome, count) in new[] { ("created", receipt.PapersCreated), ("updated", receipt.PapersUpdated), ("merged", receipt.PapersMerged), ("unchanged", receipt.PapersUnchanged), ("rejected", receipt.RecordsRejected) })
        {
            if (count > 0)
            {
                ScholarFxTelemetry.Records.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
            }
        }
    }

    private async Task<Receipt> ReadAndStoreAsync(string blobName, Stream content, Receipt receipt, bool repair, CancellationToken cancellationToken)
    {
        var (format, stream, problem) = await detector.DetectAsync(content, blobName, cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        if (format is null)
        {
            return receipt with
            {
                Status = ReceiptStatus.Failed,
                Errors = [new IngestError("file", problem ?? "unreadable")],
                CompletedAt = clock.GetUtcNow(),
            };
        }

        // A resumed attempt carries on the counts and errors of the records before its checkpoint, and skips them.
        var resumeAfter = receipt.ResumedFrom;
        var tally = new Tally(options.Value.MaxErrorDetails);
        if (resumeAfter > 0)
        {
            tally.Restore(receipt, await receipts.AllErrorsAsync(receipt, cancellationToken).ConfigureAwait(false));
        }

        var batch = new List<SourceRecord>(options.Value.BatchSize);
        var storing = Task.CompletedTask;
        var read = 0;
        var batchChars = 0L;
        var checkpoint = resumeAfter;
        try
        {
            await foreach (var item in format.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                if (++read <= resumeAfter)
                {
                    continue;
                }

                if (item.Error is { } error)
                {
                    tally.Reject(error);
                }
                else if (validator.Problem(item.Record!) is { } invalid)
                {
                    tally.Reject(new IngestError(item.Record!.Location, invalid));
                }
                else
                {
                    batch.Add(item.Record!);
                    batchChars += item.Record!.Title!.Length + item.Record.Abstract!.Length;
                }

                if (batch.Count >= options.Value.BatchSize || batchChars >= MaxBatchChars)
                {
                    storing = await HandOverAsync(storing, batch, tally, repair, cancellationToken).ConfigureAwait(false);
                    batch = new List<SourceRecord>(options.Value.BatchSize);
                    batchChars = 0;
                    if (read - checkpoint >= options.Value.CheckpointEvery)
                    {
                        // Everything read so far stored or rejected: a restart resumes after it.
                        await storing.ConfigureAwait(false);
                        checkpoint = read;
                        await receipts.WriteAsync(Progress(receipt, format, read, tally) with { Status = ReceiptStatus.Processing, LeaseUntil = clock.GetUtcNow() + lease.Length }, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (read % options.Value.ProgressEvery == 0)
                {
                    logger.LogInformation("Ingesting {Blob}: {Records} records read, {Rejected} rejected", blobName, read, tally.Rejected);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The batch being written finishes before the failure is reported, so a retry never races it.
            await storing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        storing = await HandOverAsync(storing, batch, tally, repair, cancellationToken).ConfigureAwait(false);
        await storing.ConfigureAwait(false);
        var stored = tally.Created + tally.Updated + tally.Merged + tally.Unchanged;
        return Progress(receipt, format, read, tally) with
        {
            Status = tally.Rejected == 0 ? ReceiptStatus.Succeeded : stored > 0 ? ReceiptStatus.Partial : ReceiptStatus.Failed,
            LastFailure = null,
            CompletedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>The receipt with the counts so far; <paramref name="read"/> records are stored or rejected (the checkpoint).</summary>
    private static Receipt Progress(Receipt receipt, IRecordFormat format, int read, Tally tally) => receipt with
    {
        Format = format.Name,
        RecordsRead = read,
        PapersCreated = tally.Created,
        PapersUpdated = tally.Updated,
        PapersMerged = tally.Merged,
        PapersUnchanged = tally.Unchanged,
        RecordsRejected = tally.Rejected,
        Errors = tally.Errors(),
        Checkpoint = read,
    };

    /// <summary>
    /// Starts embedding <paramref name="batch"/> now (CPU) while the previous batch is still being written (I/O),
    /// then, once that write is done, stores this batch. Batches are stored strictly in order, one at a time.
    /// </summary>
    private async Task<Task> HandOverAsync(Task previous, List<SourceRecord> batch, Tally tally, bool repair, CancellationToken cancellationToken)
    {
        var prefetch = embeddings is null || batch.Count == 0
            ? Task.CompletedTask
            // The paper a record becomes carries the text and content hash that scoring will look up.
            : Task.Run(() => embeddings.PrefetchAsync(batch.Where(r => r.Published is not null).Select(merger.Create), cancellationToken), cancellationToken);
        await previous.ConfigureAwait(false);
        return StoreAfterAsync(prefetch, batch, tally, repair, cancellationToken);
    }

    private async Task StoreAfterAsync(Task prefetch, List<SourceRecord> batch, Tally tally, bool repair, CancellationToken cancellationToken)
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

        await StoreBatchAsync(batch, tally, repair, cancellationToken).ConfigureAwait(false);
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
    private async Task StoreBatchAsync(List<SourceRecord> records, Tally tally, bool repair, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        // 1. Records of this batch that share any alias are one paper.
        var groups = GroupByAlias(records);
        tally.Merged += records.Count - groups.Count;

        // 2. Which stored papers do they match?
        var resolved = await papers.ResolveAliasesAsync(groups.SelectMany(g => g.Aliases()), cancellationToken).ConfigureAwait(false);
        var work = new ConcurrentBag<(Paper? Before, Paper After, SourceRecord Record)>();
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

            work.Add(stored is null ? (null, merger.Create(record), record) : (stored, merger.Merge(stored, record), record));
        }).ConfigureAwait(false);

        // 3. Score what is new or changed text; a paper whose text is unchanged keeps its scores.
        var changed = work.Where(w => w.Before is null || PaperMerger.Differs(w.Before, w.After)).ToList();
        var toScore = changed.Where(w => w.Before is null || w.Before.ContentHash != w.After.ContentHash).Select(w => w.After).ToList();
        var scored = (await scoring.ScoreAsync(toScore, tally.Scoring, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        tally.Unchanged += work.Count - changed.Count;
        var reproject = repair ? work.Where(w => w.Before is not null && !PaperMerger.Differs(w.Before, w.After)).Select(w => w.Before!).ToList() : [];

        // 4. Papers and aliases.
        var written = new ConcurrentBag<(Paper? Before, Paper After)>();
        var created = 0;
        await Parallel.ForEachAsync(changed, WriteOptions(cancellationToken), async (w, ct) =>
        {
            var (before, after) = await writer.WriteAsync(w.Before, scored.GetValueOrDefault(w.After.Id) ?? w.After, w.Record, tally.Scoring, ct).ConfigureAwait(false);

            if (before is null)
            {
                Interlocked.Increment(ref created);
            }

            await papers.AddAliasesAsync(after.Id, after.Aliases, ct).ConfigureAwait(false);
            written.Add((before, after));
        }).ConfigureAwait(false);
        await Parallel.ForEachAsync(reproject, WriteOptions(cancellationToken), async (paper, ct) =>
            await papers.AddAliasesAsync(paper.Id, paper.Aliases, ct).ConfigureAwait(false)).ConfigureAwait(false);

        foreach (var (before, after) in written)
        {
            if (before is null)
            {
                tally.Created++;
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

        await stats.AddPapersAsync(created, cancellationToken).ConfigureAwait(false);
        // Every instance's view learns of these papers before settling is asked for.
        await view.PublishAsync(written.Select(w => w.After).Concat(reproject), cancellationToken).ConfigureAwait(false);

        // 5. Each touched author's rows and profile, in one transaction per author.
        var changes = written.SelectMany(w => AuthorChanges(w.Before, w.After)).Concat(reproject.SelectMany(p => AuthorChanges(null, p)))
            .GroupBy(c => c.AuthorId, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(changes, new ParallelOptions { MaxDegreeOfParallelism = options.Value.RebuildParallelism, CancellationToken = cancellationToken },
            async (author, ct) => await profiles.ApplyAsync(author.Key, [.. author], ct, reindex: repair).ConfigureAwait(false)).ConfigureAwait(false);
        if (written.Count > 0 || reproject.Count > 0)
        {
            await settling.RequestAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The author-row writes and deletes that move a paper from its stored state to its new one.</summary>
    internal static IEnumerable<AuthorRowChange> AuthorChanges(Paper? before, Paper after)
    {
        if (after.Retracted)
        {
            // A retracted paper leaves every profile; its own record stays.
            return before is null || before.Retracted
                ? []
                : before.Authors.DistinctBy(a => a.Id).Select(a => new AuthorRowChange(a.Id, null, AuthorStore.PaperRowKey(before.Published, before.Id)));
        }

        // A reinstated paper comes back like a new one.
        return RowChanges(before is { Retracted: true } ? null : before, after);
    }

    private static IEnumerable<AuthorRowChange> RowChanges(Paper? before, Paper after)
    {
        var newAuthors = after.Authors.DistinctBy(a => a.Id).ToList();
        var newIds = newAuthors.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        if (before is not null)
        {
            foreach (var old in before.Authors.DistinctBy(a => a.Id))
            {
                // An author removed from the paper loses it; a changed date moves the row.
                if (!newIds.Contains(old.Id) || before.Published != after.Published)
                {
                    yield return new AuthorRowChange(old.Id, null, AuthorStore.PaperRowKey(before.Published, before.Id));
                }
            }
        }

        var names = after.Authors.Select(a => a.Name).ToList();
        foreach (var author in newAuthors)
        {
            yield return new AuthorRowChange(author.Id, new AuthorPaper
            {
                Id = after.Id,
                Title = after.Title,
                Authors = [.. names.Take(AuthorStore.AuthorsPerRow)],
                AuthorCount = names.Count,
                Category = after.PrimaryCategory,
                Published = after.Published,
                Citations = after.Citations,
                Novelty = after.Scores.Novelty.Value,
                AiScore = after.Scores.AiScore.Value,
                AuthorName = author.Name,
            }, null);
        }
    }

    private static List<SourceRecord> GroupByAlias(List<SourceRecord> records)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var merged = new List<SourceRecord?>();
        foreach (var record in records)
        {
            var aliases = record.Aliases();
            var hits = aliases.Where(owner.ContainsKey).Select(a => owner[a]).Distinct().ToList();
            if (hits.Count == 0)
            {
                merged.Add(record);
                foreach (var alias in aliases)
                {
                    owner[alias] = merged.Count - 1;
                }

                continue;
            }

            // Fold every matched group and this record into the first matched group.
            var target = hits.Min();
            var combined = merged[target]!;
            foreach (var other in hits.Where(h => h != target))
            {
                combined = PaperMerger.Combine(combined, merged[other]!);
                merged[other] = null;
            }

            combined = PaperMerger.Combine(combined, record);
            merged[target] = combined;
            foreach (var alias in combined.Aliases().Concat(aliases))
            {
                owner[alias] = target;
            }

            foreach (var key in owner.Where(kv => hits.Contains(kv.Value)).Select(kv => kv.Key).ToList())
            {
                owner[key] = target;
            }
        }

        return [.. merged.OfType<SourceRecord>()];
    }

    private ParallelOptions WriteOptions(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Value.WriteParallelism, CancellationToken = cancellationToken };

    private sealed class Tally(int maxErrorDetails)
    {
        private readonly List<IngestError> errors = [];
        private int rejected;

        public int Created;
        public int Updated;
        public int Merged;
        public int Unchanged;

        /// <summary>Records rejected so far (all counted; the first <c>maxErrorDetails</c> listed).</summary>
        public int Rejected => Volatile.Read(ref rejected);

        /// <summary>Rejects a record; called by the reader and by the batch being stored.</summary>
        public void Reject(IngestError error)
        {
            lock (errors)
            {
                rejected++;
                if (errors.Count < maxErrorDetails)
                {
                    errors.Add(error);
                }
            }
        }

        public List<IngestError> Errors()
        {
            lock (errors)
            {
                return [.. errors];
            }
        }

        /// <summary>Carries on from a checkpointed receipt.</summary>
        public void Restore(Receipt receipt, List<IngestError> listed)
        {
            (Created, Updated, Merged, Unchanged, rejected) = (receipt.PapersCreated, receipt.PapersUpdated, receipt.PapersMerged, receipt.PapersUnchanged, receipt.RecordsRejected);
            errors.AddRange(listed);
        }

        /// <summary>The file is one scoring run: paid calls are budgeted per file.</summary>
        public ScoringRun Scoring { get; } = new();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.Pioneer;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Settle;

/// <summary>What a settling did.</summary>
/// <param name="Ran">False when another instance held the settle lease.</param>
/// <param name="Recomputed">Neighbourhoods recomputed.</param>
/// <param name="PapersWritten">Papers whose stored scores changed.</param>
/// <param name="ProfilesRebuilt">Profiles rebuilt (each author once).</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record SettleResult(bool Ran, int Recomputed, int PapersWritten, int ProfilesRebuilt, TimeSpan Elapsed)
{
    /// <summary>
    /// Papers left for a later round because a file still being ingested may add earlier papers (dated on or after
    /// <see cref="Until"/>): their scores are not final yet.
    /// </summary>
    public int HeldBack { get; init; }

    /// <summary>The watermark of the files being ingested: papers dated before it were settled; null when none was.</summary>
    public DateOnly? Until { get; init; }

    /// <summary>Papers whose write failed (recorded and skipped; the next settling tries them again).</summary>
    public IReadOnlyList<SettleFailure> Failures { get; init; } = [];
}

/// <summary>A paper settling could not write, and why.</summary>
public sealed record SettleFailure(string PaperId, string Reason);

/// <summary>
/// Settling (docs/architecture.md, When scores change): brings the shared corpus view up to date, recomputes the
/// neighbourhoods the view marks stale (papers whose neighbourhood a backfill or a concurrent file changed, papers
/// that had too few earlier papers, provisional ones), ranks every novelty and AI percentile again, computes every
/// paper's pioneer score from the settled neighbourhoods (it moves as later papers arrive), writes only the
/// scores whose content changed and publishes those papers' facts. While files are still arriving that is all a round
/// does; the round that ends the burst (nothing held back) renders the authors of every paper written during it once
/// (<see cref="SettleRound"/> keeps them owed meanwhile). One settling runs at a time across all instances (a lease).
/// The result equals a from-scratch computation over the corpus.
/// </summary>
public sealed class SettleService(
    ScholarFxStorage storage,
    SettleRequests requests,
    CorpusView view,
    AiScorer ai,
    ScoreWriter writer,
    IPaperStore papers,
    ProfileBuilder profiles,
    StatsStore stats,
    ReceiptStore receipts,
    ListLayout listLayout,
    TimeProvider clock,
    IOptions<SettleOptions> options,
    IOptions<NoveltyOptions> noveltyOptions,
    IOptions<PioneerOptions> pioneer,
    ILogger<SettleService> logger)
{
    /// <summary>
    /// Handles a settle message: nothing when every request is settled, waits while a burst is still arriving, else
    /// settles and records the requests it covered (a message for newer requests follows).
    /// </summary>
    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var (decision, wait, generation) = await requests.DecideAsync(cancellationToken).ConfigureAwait(false);
        switch (decision)
        {
            case SettleDecision.Nothing:
                return;
            case SettleDecision.Wait:
                await requests.PostponeAsync(wait, cancellationToken).ConfigureAwait(false);
                return;
        }

        var result = await SettleAsync(everything: false, cancellationToken).ConfigureAwait(false);
        if (!result.Ran)
        {
            await requests.PostponeAsync(TimeSpan.FromSeconds(Math.Max(1, options.Value.QuietSeconds)), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result.HeldBack > 0)
        {
            // Files are still coming: the rest waits for the next quiet moment (or the longest delay) as a new burst would.
            await requests.HoldAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await requests.CompleteAsync(generation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settles unless another instance is settling; <paramref name="everything"/> recomputes every neighbourhood.</summary>
    public async Task<SettleResult> SettleAsync(bool everything, CancellationToken cancellationToken)
    {
        using var activity = ScholarFxTelemetry.Source.StartActivity("settle");
        activity?.SetTag("scholarfx.settle.everything", everything);
        try
        {
            var result = await SettleUnderLeaseAsync(everything, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("scholarfx.settle.ran", result.Ran);
            activity?.SetTag("scholarfx.settle.recomputed", result.Recomputed);
            activity?.SetTag("scholarfx.settle.papers", result.PapersWritten);
            activity?.SetTag("scholarfx.settle.profiles", result.ProfilesRebuilt);
            activity?.SetTag("scholarfx.settle.failures", result.Failures.Count);
            ScholarFxTelemetry.PapersSettled.Add(result.PapersWritten);
            ScholarFxTelemetry.ProfilesRebuilt.Add(result.ProfilesRebuilt);
            return result;
        }
        catch (Exception e)
        {
            ScholarFxTelemetry.Failed(activity, e);
            throw;
        }
    }

    private async Task<SettleResult> SettleUnderLeaseAsync(bool everything, CancellationToken cancellationToken)
    {
        await using var lease = await CorpusLease.TryAcquireAsync(storage, "settle", TimeSpan.FromSeconds(options.Value.LeaseSeconds), logger, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            logger.LogInformation("Another instance is settling; this request waits for it");
            return new SettleResult(false, 0, 0, 0, TimeSpan.Zero);
        }

        // Every write below stops once this instance cannot be sure it still holds the lease (a fence: a settler that
        // lost it never writes beside the one that took it); the requests then stay open for the next settling. The token
        // stops the work; the fence checks each request on the clock as it leaves, whatever token it carries.
        using var fenced = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        using var fence = LeaseFence.Enter(lease);
        try
        {
            return await SettleHeldAsync(everything, fenced.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("The settle lease was lost during a settling; it stopped writing and is left to the next settling");
            return new SettleResult(false, 0, 0, 0, TimeSpan.Zero);
        }
    }

    private async Task<SettleResult> SettleHeldAsync(bool everything, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        // Once per account after an upgrade: the ranking lists in their bucketed layout.
        await listLayout.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var round = new SettleRound(storage);
        await FinishStoppedRoundAsync(round, cancellationToken).ConfigureAwait(false);

        // Papers dated on or after the earliest date a file in flight may still add are left for a later round: an
        // earlier paper arriving would change their neighbourhood or cohort, and settle them again.
        var until = everything ? null : await receipts.WatermarkAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var (changes, recomputed, heldBack, model, asOf, corpusSize) = await view.UseAsync(state => Compute(state, everything, until), cancellationToken).ConfigureAwait(false);
        var computed = watch.Elapsed;

        var owedRounds = 0;
        if (changes.Count > 0)
        {
            // Owed first: a round that stops after a paper write leaves that paper's authors owed, never forgotten.
            IReadOnlyCollection<string> ids = [.. changes.Select(c => c.Id)];
            owedRounds = await round.OweAsync(ids, cancellationToken).ConfigureAwait(false);
            await round.BeginAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        var written = new ConcurrentBag<Paper>();
        var failures = new ConcurrentBag<SettleFailure>();
        await WritePapersAsync(changes, corpusSize, written, failures, cancellationToken).ConfigureAwait(false);
        await view.PublishAsync(written, cancellationToken, asOf).ConfigureAwait(false);
        if (changes.Count > 0)
        {
            await round.EndAsync(cancellationToken).ConfigureAwait(false);
        }

        var papersDone = watch.Elapsed;
        var papersWritten = written.Count;

        // While files still arrive, a round writes scores only: the authors of every paper it wrote are rendered once,
        // by the round that ends the burst (nothing held back), which writes the rankings' and name index's refreshes too
        // — or, in a burst that never ends (files arriving without a pause), every MaxOwedRounds rounds. The render
        // keeps each paper's author rows, not the paper: the round that ends a burst may have written the whole corpus.
        var render = heldBack == 0 || owedRounds >= MaxOwedRounds;
        var writtenRows = render ? written.ToDictionary(p => p.Id, p => AuthorRows.Reprojection(p).ToArray(), StringComparer.Ordinal) : [];
        written.Clear();
        var authors = render ? await RenderOwedAsync(round, writtenRows, corpusSize, cancellationToken).ConfigureAwait(false) : 0;

        await view.CompactIfDueAsync(cancellationToken).ConfigureAwait(false);

        var result = new SettleResult(true, recomputed, papersWritten, authors, watch.Elapsed) { Failures = [.. failures], HeldBack = heldBack, Until = heldBack > 0 ? until : null };
        logger.LogInformation(
            "Settled with {Model}: {Recomputed} neighbourhoods recomputed, {Written} papers' scores changed, {Profiles} profiles rebuilt in {Elapsed} (scores computed in {Computed:F1} s, papers written in {PapersSeconds:F1} s, profiles in {ProfilesSeconds:F1} s); {HeldBack} papers from {Until} wait for the files still being ingested",
            model, result.Recomputed, result.PapersWritten, result.ProfilesRebuilt, result.Elapsed, computed.TotalSeconds, (papersDone - computed).TotalSeconds, (watch.Elapsed - papersDone).TotalSeconds,
            result.HeldBack, result.Until?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        return result;
    }

    /// <summary>
    /// Writes the changed papers' scores, a slice of papers at a time (a slice's papers read and written together, a
    /// partition's at a time: see <see cref="ScoreWriter.WriteManyAsync"/>). One paper's failure is recorded and
    /// skipped (its stored score stays, the next settling tries again) and stops no other: a slice whose reads or
    /// writes fail is written again paper by paper, and a paper already written by the failed attempt counts as written
    /// all the same. Their authors are not rendered here: every paper written is owed (<see cref="RenderOwedAsync"/>).
    /// </summary>
    private async Task WritePapersAsync(List<Change> changes, int corpusSize, ConcurrentBag<Paper> written, ConcurrentBag<SettleFailure> failures, CancellationToken cancellationToken)
    {
        var byId = changes.ToDictionary(c => c.Id, StringComparer.Ordinal);
        PaperScores Rescored(Paper stored) => Rescore(stored, byId[stored.Id]);

        void Fail(string id, Exception e)
        {
            logger.LogWarning(e, "Settling could not write paper {PaperId}; skipped until the next settling", id);
            failures.Add(new SettleFailure(id, e.GetType().Name + (e is Azure.RequestFailedException r ? $" ({r.Status})" : "")));
        }

        // Ordered by partition, so a slice covers whole partitions of the Papers table. Two slices at once: one is read
        // while the other is written, so the store and this process both keep working.
        var slices = changes.Select(c => c.Id).OrderBy(TableKey.HashPartition, StringComparer.Ordinal).ThenBy(id => id, StringComparer.Ordinal).Chunk(PapersPerSlice);
        await Parallel.ForEachAsync(slices, new ParallelOptions { MaxDegreeOfParallelism = SlicesAtOnce, CancellationToken = cancellationToken }, async (slice, cancellationToken) =>
        {
            try
            {
                var (done, failed) = await writer.WriteManyAsync(slice, Rescored, corpusSize, options.Value.WriteParallelism, cancellationToken).ConfigureAwait(false);
                foreach (var (paper, _) in done)
                {
                    written.Add(paper);
                }

                foreach (var (id, error) in failed)
                {
                    Fail(id, error);
                }

                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Settling could not write {Count} papers together; writing them one by one", slice.Length);
            }

            await Parallel.ForEachAsync(slice, new ParallelOptions { MaxDegreeOfParallelism = options.Value.WriteParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                try
                {
                    if (await writer.WriteAsync(id, Rescored, ct, reproject: true).ConfigureAwait(false) is var (paper, _))
                    {
                        written.Add(paper);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Fail(id, e);
                }
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Slices of <see cref="WritePapersAsync"/> in flight at once.</summary>
    private const int SlicesAtOnce = 2;

    /// <summary>Papers read and written together by <see cref="WritePapersAsync"/> (about 16 a partition of the Papers table).</summary>
    private const int PapersPerSlice = 4_096;

    /// <summary>
    /// Tells the corpus view what the papers a stopped round was writing hold as stored (it may have written some and
    /// not said so), and leaves their authors owed to the round that ends the burst; returns how many papers.
    /// </summary>
    private async Task<int> FinishStoppedRoundAsync(SettleRound round, CancellationToken cancellationToken)
    {
        var ids = await round.UnfinishedAsync(cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return 0;
        }

        logger.LogWarning("A settling round stopped while writing {Count} papers; the corpus view is told what they hold as stored, and their authors are rendered with the burst's", ids.Count);
        var stored = new ConcurrentBag<Paper>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = options.Value.WriteParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            if (await papers.GetPaperAsync(id, ct).ConfigureAwait(false) is { } paper)
            {
                stored.Add(paper);
            }
        }).ConfigureAwait(false);
        await view.PublishAsync(stored, cancellationToken).ConfigureAwait(false);
        // Owed already unless the round was written before owed papers were kept: said again, which costs nothing.
        await round.OweAsync(ids, cancellationToken).ConfigureAwait(false);
        await round.EndAsync(cancellationToken).ConfigureAwait(false);
        return ids.Count;
    }

    /// <summary>
    /// Rounds whose papers' authors may wait before they are rendered while files keep arriving: about an hour of a
    /// continuous stream at the quiet period's pace, far below the 50,000 appends the owed list can take.
    /// </summary>
    internal const int MaxOwedRounds = 500;

    /// <summary>Times the owed papers are read again after a render, to render what changed meanwhile.</summary>
    private const int MaxOwedChecks = 4;

    /// <summary>
    /// The round that ends a burst: renders the authors of every owed paper once, from the paper as this round wrote it
    /// (<paramref name="rows"/>: each written paper's author rows, to which the others' are added) or as stored (every
    /// row of each: their ledgers may still hold what ingest rendered), then nothing is owed. Only the papers' author
    /// rows are held, read a slice of papers at a time: the round may owe the whole corpus, whose papers whole
    /// (abstracts, sources, explanations) would crowd the heap through the render.
    /// After a render that stopped half-way, the ranking and name-index rows are written again even where unchanged.
    /// A paper another writer changed while the render ran (a new source) may have had its authors' rows put back to
    /// the version read here after that writer rendered its own. Such a writer publishes the paper to the corpus log
    /// before it renders: when the log moved during the render, the owed papers are read again, and the authors of any
    /// whose rows differ from what was rendered are rendered again from the change between the two, until a read finds
    /// none. A writer that publishes after that renders after this render ended.
    /// Returns how many authors were rendered.
    /// </summary>
    private async Task<int> RenderOwedAsync(SettleRound round, Dictionary<string, AuthorRowChange[]> rows, int corpusSize, CancellationToken cancellationToken)
    {
        var (owed, stopped) = await round.OwedAsync(cancellationToken).ConfigureAwait(false);
        if (owed.Count == 0)
        {
            // Nothing written in the burst (every paper a round writes is owed first): only the refreshes gathered.
            await profiles.FlushAsync(new NameIndexWrites(), cancellationToken, complete: true).ConfigureAwait(false);
            return 0;
        }

        var rendering = await round.RenderingAsync(cancellationToken).ConfigureAwait(false);
        var logBefore = await view.UseAsync(state => state.Position, cancellationToken).ConfigureAwait(false);
        await foreach (var paper in ReadAsync(owed.Where(id => !rows.ContainsKey(id)), corpusSize, cancellationToken).ConfigureAwait(false))
        {
            rows[paper.Id] = [.. AuthorRows.Reprojection(paper)];
        }

        var every = owed.Where(rows.ContainsKey).SelectMany(id => rows[id]);
        var authors = await RenderAuthorsAsync(every, reindex: stopped, cancellationToken).ConfigureAwait(false);
        for (var check = 0; check < MaxOwedChecks; check++)
        {
            var logAfter = await view.UseAsync(state => state.Position, cancellationToken).ConfigureAwait(false);
            if (logAfter == logBefore)
            {
                break;
            }

            logBefore = logAfter;
            var again = new List<AuthorRowChange>();
            await foreach (var paper in ReadAsync(owed, corpusSize, cancellationToken).ConfigureAwait(false))
            {
                AuthorRowChange[] now = [.. AuthorRows.Reprojection(paper)];
                var rendered = rows.GetValueOrDefault(paper.Id);
                if (rendered is null || !SameRows(rendered, now))
                {
                    again.AddRange(AuthorRows.Changes(rendered ?? [], now));
                    rows[paper.Id] = now;
                }
            }

            if (again.Count == 0)
            {
                break;
            }

            logger.LogInformation("Papers changed while their authors were rendered; rendering {Authors} authors again", again.Select(c => c.AuthorId).Distinct(StringComparer.Ordinal).Count());
            authors += await RenderAuthorsAsync(again, reindex: false, cancellationToken).ConfigureAwait(false);
        }

        await round.SettledAsync(rendering, cancellationToken).ConfigureAwait(false);
        return authors;
    }

    /// <summary>Stored papers read a slice at a time (a slice covers whole partitions of the Papers table), so only a slice is held at once.</summary>
    private async IAsyncEnumerable<Paper> ReadAsync(IEnumerable<string> ids, int corpusSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var slice in ids.OrderBy(TableKey.HashPartition, StringComparer.Ordinal).ThenBy(id => id, StringComparer.Ordinal).Chunk(PapersPerSlice))
        {
            foreach (var paper in await papers.GetManyAsync(slice, corpusSize, cancellationToken).ConfigureAwait(false))
            {
                yield return paper;
            }
        }
    }

    /// <summary>Whether two versions of a paper's author rows are the same.</summary>
    private static bool SameRows(IReadOnlyList<AuthorRowChange> x, IReadOnlyList<AuthorRowChange> y) =>
        x.Count == y.Count && x.Zip(y).All(p => p.First.AuthorId == p.Second.AuthorId && p.First.DeleteRowKey == p.Second.DeleteRowKey
            && (p.First.Upsert is null ? p.Second.Upsert is null : p.Second.Upsert is not null && AuthorPaper.SameRow(p.First.Upsert, p.Second.Upsert)));

    /// <summary>
    /// Each affected author once: all of its rows' changes and its profile (a bucket's profiles in one transaction), then their name-index rows
    /// and ranking moves, a transaction per partition; <paramref name="reindex"/> writes those again even when unchanged
    /// (a repair). The refreshes this process gathered go along (<see cref="ProfileBuilder.FlushAsync"/>): a burst ends here.
    /// Returns how many authors were rendered.
    /// </summary>
    private async Task<int> RenderAuthorsAsync(IEnumerable<AuthorRowChange> rowChanges, bool reindex, CancellationToken cancellationToken)
    {
        var authors = rowChanges.GroupBy(c => c.AuthorId, StringComparer.Ordinal).ToList();
        var legacyKey = authors.Count > 0 && !await stats.HasUniqueAggregateKeysAsync(cancellationToken).ConfigureAwait(false);
        var writes = new NameIndexWrites();
        // Settling changes rows of stored papers: their authors are stored, and one no longer kept here is read.
        await profiles.ApplyManyAsync([.. authors.Select(a => (a.Key, (IReadOnlyList<AuthorRowChange>)[.. a]))], options.Value.RebuildParallelism, writes, cancellationToken, reindex, legacyKey, existing: true).ConfigureAwait(false);
        await profiles.FlushAsync(writes, cancellationToken, complete: true).ConfigureAwait(false);
        return authors.Count;
    }

    /// <summary>A paper whose stored scores differ from the settled ones.</summary>
    private sealed record Change(string Id, CorpusEntry? Entry, Score? Novelty, (double Factor, (double? Percentile, ReferenceSet? Reference) Ranked)? Ai, Score? Pioneer = null);

    private (List<Change> Changes, int Recomputed, int HeldBack, string Model, LogPosition AsOf, int CorpusSize) Compute(CorpusViewState state, bool everything, DateOnly? until)
    {
        var index = state.Index;
        var byDate = index.Snapshot();
        var entries = byDate.ToDictionary(e => e.Id, StringComparer.Ordinal);
        // A paper's neighbourhood and cohort hold only strictly earlier papers, so one dated before the watermark is final.
        bool Final(DateOnly published) => until is not { } limit || published < limit;
        var recompute = entries.Values.Where(e => everything || (e.Stale && Final(e.Published))).ToList();
        var heldBack = 0;
        NoveltyScorer.Recompute(index, recompute);
        var novelty = index.PercentileAll();
        // Every paper's pioneer from every paper's k nearest earlier papers, read backwards: O(N·k), no search.
        var pioneers = PioneerScorer.RankAll(byDate, pioneer.Value, index.K, noveltyOptions.Value.Cohort);

        foreach (var (id, member) in state.Members)
        {
            var raw = member.Rubric is { } rubric ? PriorWork.Raw(rubric, PriorWork.Factor(entries.GetValueOrDefault(id)?.Raw)) : (double?)null;
            // Setting moves the member in a date-ordered list; most raw values are as the facts left them.
            if (state.Ai.RawOf(id) != raw)
            {
                state.Ai.Set(id, member.Published, member.Category, raw);
            }
        }

        var aiRanked = state.Ai.PercentileAll();
        var changes = new List<Change>();
        foreach (var (id, member) in state.Members)
        {
            Score? noveltyScore = null;
            var entry = entries.GetValueOrDefault(id);
            if (entry is not null)
            {
                var ranked = novelty.GetValueOrDefault(id);
                Score Build() => NoveltyScorer.ScoreOf(index, entry, state.EmbeddingModel, ranked);
                var inputs = new Fnv64().Add(entry.Raw).Add(ranked.Percentile).Add(ranked.Reference?.Set).Add(ranked.Reference?.Category);
                foreach (var near in entry.Nearest)
                {
                    inputs = inputs.Add(near.Id).Add(near.Similarity);
                }

                var (print, built) = PrintOf(member.NoveltyComputed, inputs.Value, Build);
                member.NoveltyComputed = (inputs.Value, print);
                noveltyScore = print == member.NoveltyPrint ? null : built ?? Build();
            }

            (double, (double?, ReferenceSet?))? aiChange = null;
            if (member.Rubric is { } rubric)
            {
                var factor = PriorWork.Factor(entry?.Raw);
                var ranked = aiRanked.GetValueOrDefault(id);
                // The fingerprint leaves out the assessor's prose, so a placeholder stands in for it here.
                var inputs = new Fnv64().Add(rubric.Significance).Add(rubric.Evidence).Add(rubric.Clarity)
                    .Add(factor).Add(ranked.Percentile).Add(ranked.Reference?.Set).Add(ranked.Reference?.Category).Value;
                var (print, _) = PrintOf(member.AiComputed, inputs, () => ai.ScoreOf(AssessmentOutcome.Of(new AiAssessment("", "", rubric, "", "", "")), factor, ranked));
                member.AiComputed = (inputs, print);
                aiChange = print == member.AiPrint ? null : (factor, ranked);
            }

            Score? pioneerScore = null;
            var pioneerHeld = false;
            if (entry is not null && pioneers.TryGetValue(id, out var pioneerOf))
            {
                var (value, ranked) = pioneerOf;
                Score Build() => PioneerScorer.ScoreOf(value, ranked, state.EmbeddingModel, pioneer.Value, index.K);
                // The inputs of what the fingerprint covers: the counts (later papers, credit, raw) are left out of both.
                var inputs = new Fnv64().Add(value.Raw is null ? 1UL : 0UL).Add(ranked.Percentile).Add(ranked.Reference?.Set).Add(ranked.Reference?.Category).Add(value.VersionOf).Add(state.EmbeddingModel);
                foreach (var follower in value.Raw is null ? [] : value.Followers)
                {
                    inputs = inputs.Add(follower.Id).Add((ulong)follower.Rank).Add(follower.Similarity);
                }

                var (print, built) = PrintOf(member.PioneerComputed, inputs.Value, Build);
                member.PioneerComputed = (inputs.Value, print);
                pioneerScore = print == member.PioneerPrint ? null : built ?? Build();
                if (pioneerScore is not null && until is not null)
                {
                    // Every paper a file in flight adds moves the pioneer of the earlier papers in its window again: a
                    // burst's pioneer changes are written once, by the round that finds no file in flight.
                    pioneerScore = null;
                    pioneerHeld = true;
                }
            }

            var changed = noveltyScore is not null || aiChange is not null || pioneerScore is not null;
            if (changed && Final(member.Published))
            {
                changes.Add(new Change(id, entry, noveltyScore, aiChange, pioneerScore));
            }

            // Each paper that waits counted once, whatever waits of it.
            if (pioneerHeld || ((changed || entry is { Stale: true }) && !Final(member.Published)))
            {
                heldBack++;
            }
        }

        return (changes, recompute.Count, heldBack, state.EmbeddingModel, state.Position, state.Members.Count);
    }

    /// <summary>The fingerprint for these inputs: the one computed last time when they are the same, else a new score's.</summary>
    private static (ulong Print, Score? Built) PrintOf((ulong Inputs, ulong Print) last, ulong inputs, Func<Score> build)
    {
        if (last.Inputs != 0 && last.Inputs == inputs)
        {
            return (last.Print, null);
        }

        var score = build();
        return (ScorePrint.Of(score), score);
    }

    private PaperScores Rescore(Paper stored, Change change)
    {
        // A paper whose text changed since the view last saw it keeps its scores: the next settling has its new facts.
        var novelty = change.Novelty is not null && stored.Embedding is { } e && change.Entry is not null && change.Entry.Holds(e.Vector)
            ? change.Novelty
            : stored.Scores.Novelty;
        var aiScore = change.Ai is var (factor, ranked) && ai.CurrentAssessment(stored.Scores.AiScore, stored.ContentHash) is { } assessment
            ? ai.ScoreOf(AssessmentOutcome.Of(assessment), factor, ranked)
            : stored.Scores.AiScore;
        var pioneerScore = change.Pioneer is not null && stored.Embedding is { } current && change.Entry is not null && change.Entry.Holds(current.Vector)
            ? change.Pioneer
            : stored.Scores.Pioneer;
        return new PaperScores(novelty, aiScore) { Pioneer = pioneerScore };
    }
}

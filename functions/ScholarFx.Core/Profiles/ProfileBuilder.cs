using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Keeps an author's aggregate row current: applies paper-row changes to the author's ledger (every paper row, kept in
/// the aggregate row), recomputes the figures from the whole ledger (never incrementing), renders the first page of the
/// profile, and writes the rows and the aggregate in one transaction conditional on the aggregate's ETag — retried when
/// another writer got there first, so concurrent ingests of one author never lose or double-count a paper. A change costs
/// point reads and one transaction whatever the corpus size; only an author without a ledger (too many papers to keep one
/// in the row, or a row written before ledgers) is read from the partition, and a new author (no aggregate row, so no
/// rows: see <see cref="IAuthorStore.TryCommitAsync"/>) is not read at all.
/// </summary>
public sealed class ProfileBuilder(IAuthorStore authors, ProfileRankings rankings, AggregateCache cache, ICitationCohortSource citations, ScoringPipeline scoring, IOptions<ProfileOptions> options, TimeProvider clock, ILogger<ProfileBuilder> logger)
{
    private const int MaxAttempts = 20;

    // Name-index entries whose only change is the paper count a search shows: written with the next complete flush
    // (see FlushAsync), like the rankings' refreshes, so an author's many papers of a burst rewrite the entry about once.
    private readonly NameIndexWrites refreshedNames = new();

    // Fewer papers than this fit the aggregate row's ledger whatever they hold (18K characters a paper, far above what
    // the validator's limits let a paper row reach), so the size is only measured for larger ledgers.
    private const int LedgerSurelyFits = 32;

    /// <summary>
    /// Applies an author's paper-row changes and renders the profile; true when the stored aggregate changed.
    /// <paramref name="reindex"/> writes the author's name-index and ranking rows even when the aggregate says they are
    /// current (a repair after an attempt that may have stopped between the two). With <paramref name="writes"/> those
    /// rows are left to the caller to write with the rest of its batch (<see cref="FlushAsync"/>); without, they are
    /// written before this returns. <paramref name="legacyKey"/> false: the account holds no aggregate under the older
    /// shared row key, so a new author is read once, not twice (<see cref="StatsStore.HasUniqueAggregateKeysAsync"/>).
    /// </summary>
    public async Task<bool> ApplyAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, CancellationToken cancellationToken, bool reindex = false, NameIndexWrites? writes = null, bool legacyKey = true)
    {
        var own = writes ?? new NameIndexWrites();
        var changed = await CommitAsync(authorId, changes, fromPartition: false, own, cancellationToken, reindex, legacyKey).ConfigureAwait(false);
        if (writes is null)
        {
            await FlushAsync(own, cancellationToken, complete: true).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>Rebuilds one profile from the author's partition (a repair); true when the stored aggregate changed.</summary>
    public async Task<bool> RebuildAsync(string authorId, CancellationToken cancellationToken)
    {
        var writes = new NameIndexWrites();
        var changed = await CommitAsync(authorId, [], fromPartition: true, writes, cancellationToken).ConfigureAwait(false);
        await FlushAsync(writes, cancellationToken, complete: true).ConfigureAwait(false);
        return changed;
    }

    /// <summary>
    /// Writes the name-index rows recorded in <paramref name="writes"/> and every pending ranking move, each partition's
    /// together. <paramref name="complete"/>: the refreshes (entries whose only change is what they show, such as a
    /// paper count) gathered in this process go too; without it they wait for a complete flush, or until
    /// <see cref="ProfileRankings.MaxRefreshes"/> have gathered. Callers flush completely where their readers expect
    /// every figure current: the end and checkpoints of a file, the settling round that ends a burst, a refresh, a repair.
    /// </summary>
    public async Task FlushAsync(NameIndexWrites writes, CancellationToken cancellationToken, bool complete = false)
    {
        var names = writes.Take();
        if (complete || refreshedNames.NameCount >= ProfileRankings.MaxRefreshes)
        {
            // After the batch's own: the last entry given for an author wins, and a refresh kept is newer than an entry
            // given before it (an entry given for the author drops the refresh waiting: see Committed). Across
            // instances, or when one process records two commits of an author out of order, a count can lag until the
            // author's next change: name-index entries are put, not compared.
            names.AddRange(refreshedNames.Take());
        }

        await Task.WhenAll(authors.IndexNamesAsync(names, cancellationToken), rankings.WriteAsync(cancellationToken, complete)).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies many authors' paper-row changes, as <see cref="ApplyAsync"/> does for each, but commits their profiles
    /// together (<see cref="IAuthorStore.TryCommitManyAsync"/>: a bucket's authors in one transaction); an author whose
    /// commit lost a race is applied again on its own. The name-index rows and ranking moves are recorded in
    /// <paramref name="writes"/> for the caller's <see cref="FlushAsync"/>. Returns how many stored profiles changed.
    /// <paramref name="existing"/>: the authors are known to be stored (a settling round changes rows of stored papers),
    /// so one this process does not keep is read, never guessed new (a guess that fails costs its transaction a resend).
    /// </summary>
    public async Task<int> ApplyManyAsync(IReadOnlyList<(string AuthorId, IReadOnlyList<AuthorRowChange> Changes)> changes, int parallelism, NameIndexWrites writes, CancellationToken cancellationToken, bool reindex = false, bool legacyKey = true, bool existing = false)
    {
        // A round may touch every author: its rendered profiles are held only a few slices at a time. In bucket and key
        // order, so a slice's authors share buckets (their commits a transaction, their reads a range query). Slices
        // overlap: one renders while the one before it is read or committed, so neither the store nor this process
        // waits for the other. Each author is in one slice, and what a commit records is safe to record concurrently.
        var changed = 0;
        var ordered = changes.OrderBy(c => AuthorKeys.Partition(c.AuthorId), StringComparer.Ordinal).ThenBy(c => AuthorStore.AggregateRowKey(c.AuthorId), StringComparer.Ordinal);
        await Parallel.ForEachAsync(ordered.Chunk(AuthorsPerCommit), new ParallelOptions { MaxDegreeOfParallelism = SlicesAtOnce, CancellationToken = cancellationToken }, async (slice, ct) =>
        {
            Interlocked.Add(ref changed, await ApplySliceAsync(slice, parallelism, writes, ct, reindex, legacyKey, existing).ConfigureAwait(false));
        }).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Authors rendered and committed together by <see cref="ApplyManyAsync"/>.</summary>
    private const int AuthorsPerCommit = 1_000;

    /// <summary>Slices of <see cref="ApplyManyAsync"/> in flight at once.</summary>
    private const int SlicesAtOnce = 2;

    private async Task<int> ApplySliceAsync(IReadOnlyList<(string AuthorId, IReadOnlyList<AuthorRowChange> Changes)> changes, int parallelism, NameIndexWrites writes, CancellationToken cancellationToken, bool reindex, bool legacyKey, bool existing)
    {
        // Each author rendered on what this process kept of it, or what it reads (a new author is not read); the reads
        // of a slice go together.
        var guesses = changes.Select(c => Guess(c.AuthorId, c.Changes, fromPartition: false, legacyKey, existing)).ToArray();
        var read = await authors.GetAggregatesAsync([.. changes.Where((_, i) => !guesses[i].Guessed).Select(c => c.AuthorId)], cancellationToken, legacyKey).ConfigureAwait(false);
        var renders = new Draft?[changes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, changes.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var (authorId, rows) = changes[i];
            var existing = guesses[i].Guessed ? guesses[i].Guess : read.GetValueOrDefault(authorId);
            renders[i] = await DraftAsync(authorId, rows, existing, fromPartition: false, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var pending = renders.Where(r => r is { Unchanged: false }).Select(r => r!).ToList();
        var committed = await authors.TryCommitManyAsync([.. pending.Select(r => new AuthorCommit(r.AuthorId, r.Changes, r.Aggregate, r.Existing))], cancellationToken).ConfigureAwait(false);
        var changed = 0;
        var again = new List<Draft>();
        for (var i = 0; i < pending.Count; i++)
        {
            if (committed[i] is { } tag)
            {
                changed += Committed(pending[i], tag, writes, reindex) ? 1 : 0;
            }
            else
            {
                cache.Forget(pending[i].AuthorId);
                again.Add(pending[i]);
            }
        }

        // Those that lost a race: read again and committed one by one, as ApplyAsync would.
        var retried = 0;
        await Parallel.ForEachAsync(again, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (draft, ct) =>
        {
            if (await CommitAsync(draft.AuthorId, draft.Changes, fromPartition: false, writes, ct, reindex, legacyKey, firstAttempt: 2).ConfigureAwait(false))
            {
                Interlocked.Increment(ref retried);
            }
        }).ConfigureAwait(false);
        return changed + retried;
    }

    /// <summary>An author rendered for a commit: the aggregate to write (null: the author has no papers left) on the state it was rendered from.</summary>
    private sealed record Draft(string AuthorId, IReadOnlyList<AuthorRowChange> Changes, StoredAggregate? Existing, StoredAggregate? Aggregate, bool Unchanged);

    /// <summary>
    /// What stands in for the author's point read on a first attempt: the aggregate this process committed last (a new
    /// author is written without a read: an aggregate that is there fails the add, and the next attempt reads it). A
    /// render without changes (a refresh, a repair) reads the row: a kept copy another writer overtook would look unchanged.
    /// </summary>
    private (StoredAggregate? Guess, bool Guessed) Guess(string authorId, IReadOnlyList<AuthorRowChange> changes, bool fromPartition, bool legacyKey, bool existing = false)
    {
        var guess = fromPartition || changes.Count == 0 ? null : cache.Get(authorId);
        var guessNew = guess is null && !existing && !fromPartition && !legacyKey && changes.Count > 0 && changes.All(c => c.DeleteRowKey is null);
        return (guess, guess is not null || guessNew);
    }

    private async Task<Draft> DraftAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, StoredAggregate? existing, bool fromPartition, CancellationToken cancellationToken)
    {
        // A new author has no rows (the store never writes rows before the aggregate row): no partition query.
        var ledger = fromPartition ? await authors.ReadPapersAsync(authorId, cancellationToken).ConfigureAwait(false)
            : existing is null ? []
            : existing.Ledger ?? await authors.ReadPapersAsync(authorId, cancellationToken).ConfigureAwait(false);
        var papers = Apply(ledger, changes);
        if (papers.Count == 0)
        {
            return new Draft(authorId, changes, existing, null, Unchanged: false);
        }

        var cohorts = await citations.GetAsync(cancellationToken).ConfigureAwait(false);
        var (json, tag, view) = Render(authorId, papers, cohorts);
        // Listed since the author's first listing (kept as it was, 0 for one listed before it was kept), or from now.
        var ranked = Ranked(view, papers) with { Since = existing?.Ranked?.Since ?? clock.GetUtcNow().ToUnixTimeMilliseconds() };
        var unchanged = existing is not null && existing.ContentTag == tag && changes.Count == 0 && existing.Ledger is not null && existing.Ranked == ranked;
        var aggregate = new StoredAggregate(authorId, view.Name, json, tag, view.PaperCount, view.PrimaryCategory, default) { Ledger = papers, Ranked = ranked };
        return new Draft(authorId, changes, existing, aggregate, unchanged);
    }

    /// <summary>Records a committed draft: the kept copy, the ranking move and the name-index row; true when the stored profile changed.</summary>
    private bool Committed(Draft draft, ETag committed, NameIndexWrites writes, bool reindex)
    {
        var (authorId, _, existing, aggregate, _) = draft;
        if (aggregate is null)
        {
            cache.Forget(authorId);
            rankings.Record(existing, null);
            return existing is not null;
        }

        if (committed == default)
        {
            cache.Forget(authorId);
        }
        else
        {
            // A ledger too large for the row was stored as rows: the kept copy says so, as a read would.
            var papers = aggregate.Ledger!;
            var kept = papers.Count < LedgerSurelyFits || AuthorStore.LedgerFits(papers) ? papers : null;
            cache.Set(aggregate with { ETag = committed, RowKey = AuthorStore.AggregateRowKey(authorId), Ledger = kept });
        }

        // A repair (reindex) writes the ranking rows again even if the stored figures say they are current.
        rankings.Record(existing, aggregate, rewrite: reindex);
        var hit = new NameHit(authorId, aggregate.Name, aggregate.PaperCount, aggregate.PrimaryCategory);
        var sameEntry = !reindex && existing is not null && existing.Name == aggregate.Name && existing.PrimaryCategory == aggregate.PrimaryCategory;
        if (sameEntry && existing!.PaperCount < aggregate.PaperCount)
        {
            // Only the count a search shows grew (the larger is the later): written with the next complete flush.
            refreshedNames.Refresh(hit);
        }
        else if (!sameEntry || existing!.PaperCount != aggregate.PaperCount)
        {
            refreshedNames.Forget(authorId);
            writes.Index(hit);
        }

        return existing is null || existing.ContentTag != aggregate.ContentTag;
    }

    private async Task<bool> CommitAsync(string authorId, IReadOnlyList<AuthorRowChange> changes, bool fromPartition, NameIndexWrites writes, CancellationToken cancellationToken, bool reindex = false, bool legacyKey = true, int firstAttempt = 1)
    {
        var (guess, guessable) = Guess(authorId, changes, fromPartition, legacyKey);
        // A commit on a state read from the store (here, or by the group commit that sent this author here) lost to
        // another writer: not a wrong guess of this process's own.
        var lostRace = firstAttempt > 1;
        for (var attempt = firstAttempt; attempt <= MaxAttempts; attempt++)
        {
            var guessed = attempt == 1 && guessable;
            var existing = guessed ? guess : await authors.GetAggregateAsync(authorId, cancellationToken, legacyKey).ConfigureAwait(false);
            var draft = await DraftAsync(authorId, changes, existing, fromPartition, cancellationToken).ConfigureAwait(false);
            if (draft.Unchanged)
            {
                return false;
            }

            if (await authors.TryCommitAsync(authorId, changes, draft.Aggregate, existing, cancellationToken).ConfigureAwait(false) is { } committed)
            {
                var changed = Committed(draft, committed, writes, reindex);
                if (lostRace)
                {
                    // Another writer changed the author since this process last saw it: moves of the two may reach the
                    // lists in either order, so once this one's are written the author's entries are set from the profile.
                    rankings.Recheck(draft.Existing, draft.Aggregate);
                }

                return changed;
            }

            cache.Forget(authorId);
            if (guessed)
            {
                // The guess was wrong (the author was there, or changed since this process wrote it): read it now.
                continue;
            }

            lostRace = true;
            logger.LogDebug("Profile {AuthorId} changed while rebuilding; attempt {Attempt}", authorId, attempt);
            // Back off a little with jitter so many concurrent rebuilders of one author converge.
            await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Profile {authorId} could not be written after {MaxAttempts} attempts (constant concurrent updates).");
    }

    /// <summary>
    /// What the author is ranked by: h-index, citations and pioneer as the profile shows them; Novelty % and AI score
    /// over the papers whose scores are settled. A provisional score (ingest's) is about to be settled, so ranking by it would
    /// move the author's rows twice in a burst (once at ingest, again when settled); a new author enters those two
    /// lists when settling has scored their papers, and a profile with every paper settled ranks by what it shows.
    /// </summary>
    internal static RankedFigures Ranked(ProfileView view, IReadOnlyList<AuthorPaper> rows)
    {
        if (!rows.Any(r => r.Provisional && !r.Retracted))
        {
            return new RankedFigures(view.HIndex, view.CitationCount, view.Novelty, view.AiScore, view.Pioneer);
        }

        var settled = rows.Where(r => !r.Retracted && !r.Provisional).DistinctBy(r => r.Id, StringComparer.Ordinal).ToList();
        return new RankedFigures(
            view.HIndex,
            view.CitationCount,
            ProfileAggregator.RoundedMean([.. settled.Where(p => p.Novelty.HasValue).Select(p => p.Novelty!.Value)]),
            ProfileAggregator.RoundedMean([.. settled.Where(p => p.AiScore.HasValue).Select(p => p.AiScore!.Value)]),
            // Only settling gives pioneer values, so the profile's figure is always a settled one.
            view.Pioneer);
    }

    /// <summary>The author's paper rows after the changes, newest first (the order of their row keys).</summary>
    internal static List<AuthorPaper> Apply(IReadOnlyList<AuthorPaper> ledger, IReadOnlyList<AuthorRowChange> changes)
    {
        var rows = ledger.ToDictionary(p => p.RowKey, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.DeleteRowKey is { } delete)
            {
                rows.Remove(delete);
            }
        }

        foreach (var change in changes)
        {
            if (change.Upsert is { } paper)
            {
                rows[paper.RowKey] = paper;
            }
        }

        return [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)];
    }

    private (string Json, string Tag, ProfileView View) Render(string authorId, IReadOnlyList<AuthorPaper> rows, Scoring.View.CitationCohorts cohorts)
    {
        // Rows come in key order: the papers newest first, then the retracted ones (their own key range).
        var papers = rows.Where(r => !r.Retracted).ToList();
        var retracted = rows.Where(r => r.Retracted).ToList();
        var figures = ProfileAggregator.Compute(authorId, papers);
        var percentiles = papers.Select(p => CitationImpact.Of(cohorts, citations.MinimumSize, p)).ToList();
        PaperSummaryView Summary(AuthorPaper paper, int index) => PaperSummaryView.From(paper) with { CitationPercentile = percentiles[index] };
        var newest = rows[0];
        var pageSize = options.Value.PageSize;
        var view = new ProfileView
        {
            Id = authorId,
            Name = newest.AuthorName,
            PrimaryCategory = figures.PrimaryCategory,
            HIndex = figures.HIndex,
            I10Index = figures.I10Index,
            PaperCount = figures.PaperCount,
            CitationCount = figures.CitationCount,
            Novelty = figures.Novelty,
            AiScore = figures.AiScore,
            ScoredPaperCount = figures.ScoredPaperCount,
            AiScoredPaperCount = figures.AiScoredPaperCount,
            Pioneer = figures.Pioneer,
            PioneerPaperCount = figures.PioneerPaperCount,
            FirstPublished = ProfileAggregator.Iso(figures.FirstPublished),
            LastPublished = ProfileAggregator.Iso(figures.LastPublished),
            CoAuthors = figures.CoAuthors,
            Orcid = ProfileIdentity.Orcid(authorId, rows),
            ExternalIds = ProfileIdentity.ExternalIds(authorId, rows),
            UnconfirmedOrcids = ProfileIdentity.UnconfirmedOrcids(rows),
            NameVariants = [.. rows.GroupBy(r => r.AuthorName, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key)],
            Affiliations = CareerFigures.Affiliations(papers),
            CountsByYear = CareerFigures.ByYear(papers),
            Recent = CareerFigures.Recent(papers, clock.GetUtcNow().Year - options.Value.RecentYears),
            CitationImpact = CitationImpact.Mean(percentiles),
            Papers = [.. papers.Take(pageSize).Select(Summary)],
            RetractedPapers = [.. retracted.Select(PaperSummaryView.From)],
            // The second page starts at the first row the first page left out (a row-key cursor: no query was run).
            NextPapers = papers.Count > pageSize && Cursor.Encode(AuthorStore.RowKeyToken + AuthorStore.PaperRowKey(papers[pageSize].Published, papers[pageSize].Id)) is { } cursor
                ? $"/api/profiles/{Uri.EscapeDataString(authorId)}/papers?cursor={cursor}"
                : null,
            Scoring = new ScoringView(scoring.ModelOf(ScoreKind.Novelty), scoring.ModelOf(ScoreKind.AiScore)),
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        // The tag covers the content, not the time of the rebuild, so an unchanged profile keeps its ETag.
        var content = JsonSerializer.Serialize(view, ScholarFxJson.Options);
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..32];
        var stamped = view with { UpdatedAt = TruncateToSeconds(clock.GetUtcNow()) };
        return (JsonSerializer.Serialize(stamped, ScholarFxJson.Options), tag, stamped);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

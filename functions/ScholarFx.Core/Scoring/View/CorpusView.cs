using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.View;

/// <summary>
/// This process's copy of the shared corpus view (docs/architecture.md, One corpus view). It loads once — the newest
/// snapshot, then the log after it — and before each use reads only the log frames written since, by this instance
/// or any other, so every instance scores against the same corpus. Writers publish the facts of the papers they
/// stored (<see cref="PublishAsync"/>). Users hold the state one at a time.
/// </summary>
public sealed class CorpusView(
    ICorpusLog log,
    IPaperStore papers,
    EmbeddingStage embeddings,
    IAiAssessor assessor,
    IOptions<NoveltyOptions> options,
    ILogger<CorpusView> logger)
{
    /// <summary>Facts read from the log since the last snapshot at which a new snapshot is worth writing.</summary>
    internal const int SnapshotAfterFacts = 5_000;

    private readonly SemaphoreSlim gate = new(1, 1);
    private CorpusViewState? state;
    private int factsSinceSnapshot;
    private long publishes;
    private string version = "";

    /// <summary>The log position this process's view was last brought up to (changes whenever the corpus it shows does); empty before the first load.</summary>
    public string Version => Volatile.Read(ref version);

    /// <summary>How many times this process has published papers: what it derived from the view may be out of date when this moves.</summary>
    public long Publishes => Interlocked.Read(ref publishes);

    /// <summary>Runs <paramref name="work"/> with the state, brought up to date with the log first.</summary>
    public async Task<T> UseAsync<T>(Func<CorpusViewState, Task<T>> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state ??= await LoadAsync(cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(state, cancellationToken).ConfigureAwait(false);
            return await work(state).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc cref="UseAsync{T}(Func{CorpusViewState, Task{T}}, CancellationToken)"/>
    public Task<T> UseAsync<T>(Func<CorpusViewState, T> work, CancellationToken cancellationToken) =>
        UseAsync(s => Task.FromResult(work(s)), cancellationToken);

    /// <summary>
    /// Records the stored state of papers just written, for every instance's view; settling passes the position of the
    /// view its scores were computed from (<see cref="CorpusFact.AsOf"/>).
    /// </summary>
    public async Task PublishAsync(IEnumerable<Paper> written, CancellationToken cancellationToken, LogPosition asOf = default)
    {
        var frames = CorpusFactCodec.Encode(written.Select(p => CorpusFact.From(p, asOf))).ToList();
        if (frames.Count > 0)
        {
            await log.AppendAsync(frames, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref publishes);
        }
    }

    /// <summary>Writes a snapshot when enough has been logged since the last one (a cold start then reads less log).</summary>
    public Task CompactIfDueAsync(CancellationToken cancellationToken) => UseAsync(
        async s =>
        {
            if (factsSinceSnapshot < Math.Max(SnapshotAfterFacts, s.Members.Count / 4))
            {
                return false;
            }

            await log.WriteSnapshotAsync(s.Position, CorpusFactCodec.Encode(s.Facts()), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Corpus snapshot written at {Position}: {Papers} papers", s.Position, s.Members.Count);
            factsSinceSnapshot = 0;
            return true;
        },
        cancellationToken);

    private CorpusViewState NewState() =>
        new(options.Value, embeddings.Model, CorpusFact.AiVersionOf(assessor.Model, assessor.PromptVersion), options.Value.Cohort);

    private async Task<CorpusViewState> LoadAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var loaded = NewState();
        if (await log.ReadSnapshotAsync(cancellationToken).ConfigureAwait(false) is var (frames, through))
        {
            foreach (var frame in frames)
            {
                loaded.Apply(CorpusFactCodec.Decode(frame), through, detectStale: false);
            }

            loaded.Position = through;
            logger.LogInformation("Corpus view loaded from the snapshot at {Position}: {Papers} papers in {Elapsed}", through, loaded.Members.Count, started.Elapsed);
            return loaded;
        }

        // No snapshot: papers stored before the shared view existed are read once from the table, and a snapshot at the
        // start of the log records them, so no later start scans the table; the whole log is applied after it.
        var facts = new List<CorpusFact>();
        await foreach (var paper in papers.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            facts.Add(CorpusFact.From(paper));
        }

        loaded.Apply(facts, LogPosition.Start, detectStale: false);
        await log.WriteSnapshotAsync(LogPosition.Start, CorpusFactCodec.Encode(loaded.Facts()), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Corpus view started from the Papers table: {Papers} papers in {Elapsed}", facts.Count, started.Elapsed);
        return loaded;
    }

    private async Task CatchUpAsync(CorpusViewState current, CancellationToken cancellationToken)
    {
        var (frames, end) = await log.ReadAsync(current.Position, cancellationToken).ConfigureAwait(false);
        foreach (var (frame, after) in frames)
        {
            var facts = CorpusFactCodec.Decode(frame);
            current.Apply(facts, after);
            factsSinceSnapshot += facts.Count;
        }

        current.Position = end;
        Volatile.Write(ref version, end.ToString());
    }
}

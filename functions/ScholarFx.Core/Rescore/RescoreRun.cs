namespace ScholarFx.Core.Rescore;

/// <summary>The phases of a rescore run, in order.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<RescorePhase>))]
public enum RescorePhase
{
    /// <summary>Embed papers without a current embedding, in shards.</summary>
    Embed,

    /// <summary>Assess papers without a current assessment, in shards.</summary>
    Assess,

    /// <summary>Settle the whole corpus (one unit, under the settle lease).</summary>
    Settle,

    /// <summary>Finished. (A shard that fails is retried by the queue; a paper that fails is recorded and skipped.)</summary>
    Succeeded,
}

/// <summary>A paper a rescore could not handle, and why; it is skipped and tried again by the next run.</summary>
public sealed record RescoreFailure(string PaperId, string Phase, string Reason);

/// <summary>
/// One rescore run as stored: its phase, which shards of the phase are done, progress counts, failures (all counted,
/// the first 100 listed), and what it changed. Updated with ETag checks by whichever instance finishes a shard.
/// </summary>
public sealed record RescoreRun
{
    public required string Id { get; init; }
    public required string Trigger { get; init; }

    /// <summary>Whether settling recomputes every neighbourhood, not only the stale ones.</summary>
    public bool RecomputeAll { get; init; }
    public required RescorePhase Phase { get; init; }

    /// <summary>One character per shard of the current phase: '1' done, '0' not yet.</summary>
    public required string ShardsDone { get; init; }

    /// <summary>Shards of the current phase.</summary>
    public int Shards => ShardsDone.Length;
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset PhaseStartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Papers the current phase has to handle, and has handled.</summary>
    public int PhaseTotal { get; init; }
    public int PhaseDone { get; init; }
    public int Embedded { get; init; }
    public int Assessed { get; init; }
    public int PapersChanged { get; init; }
    public int ProfilesRebuilt { get; init; }
    public int FailureCount { get; init; }
    public IReadOnlyList<RescoreFailure> Failures { get; init; } = [];

    /// <summary>Whether the run has ended.</summary>
    public bool IsFinished => Phase == RescorePhase.Succeeded;

    /// <summary>The shards of the current phase not done yet.</summary>
    public IEnumerable<int> PendingShards => Enumerable.Range(0, ShardsDone.Length).Where(i => ShardsDone[i] != '1');

    /// <summary>The phase after <paramref name="phase"/>.</summary>
    public static RescorePhase After(RescorePhase phase) =>
        phase switch { RescorePhase.Embed => RescorePhase.Assess, RescorePhase.Assess => RescorePhase.Settle, _ => RescorePhase.Succeeded };

    /// <summary>The run entering <paramref name="phase"/> with <paramref name="total"/> papers in shards of <paramref name="shardSize"/>.</summary>
    public RescoreRun Enter(RescorePhase phase, int total, int shardSize, DateTimeOffset now)
    {
        var shards = phase switch
        {
            RescorePhase.Settle => 1,
            RescorePhase.Succeeded => 0,
            _ => Math.Max(1, (total + shardSize - 1) / shardSize),
        };
        return this with
        {
            Phase = phase,
            ShardsDone = new string('0', shards),
            PhaseTotal = total,
            PhaseDone = 0,
            PhaseStartedAt = now,
            UpdatedAt = now,
            CompletedAt = phase == RescorePhase.Succeeded ? now : null,
        };
    }

    /// <summary>An estimate of the time left in the current phase, from its pace so far; null before any progress.</summary>
    public TimeSpan? PhaseEta(DateTimeOffset now) =>
        PhaseDone <= 0 || PhaseTotal <= PhaseDone ? null : (now - PhaseStartedAt) / PhaseDone * (PhaseTotal - PhaseDone);
}

/// <summary>The message on the <c>rescore</c> queue: one shard of one phase of a run.</summary>
public sealed record RescoreShardMessage(string RunId, RescorePhase Phase, int Shard);

using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Rescore;

/// <summary>Settings of the rescore (section <c>Rescore</c>), validated at start.</summary>
public sealed class RescoreOptions
{
    /// <summary>Papers per shard of the embed and assess phases: a shard is one queue message, bounded in time.</summary>
    [Range(10, 100_000)]
    public int ShardSize { get; set; } = 2000;

    /// <summary>Whether the timer's run recomputes every neighbourhood (not only the stale ones) when it settles.</summary>
    public bool RecomputeAll { get; set; }

    /// <summary>Seconds without progress after which an unfinished run counts as abandoned (its host died) and the next start resumes it.</summary>
    [Range(10, 86_400)]
    public int AbandonedAfterSeconds { get; set; } = 600;
}

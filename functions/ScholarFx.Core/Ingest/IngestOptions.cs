using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Ingest;

/// <summary>Settings of ingestion (section <c>Ingest</c>), validated at start.</summary>
public sealed class IngestOptions
{
    /// <summary>Records embedded, scored and written together.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Invocations of one blob version before it is recorded as poison: the attempt that reaches it records poison, since
    /// the host (host.json <c>poisonBlobThreshold</c>, kept equal and tested) makes no more.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// How long an attempt holds a blob version without renewing (seconds); it renews after every batch. A duplicate
    /// event for a version held leaves it to the holder; a holder that died gives it up when this runs out.
    /// </summary>
    [Range(3, 3600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Papers written concurrently within a batch.</summary>
    [Range(1, 64)]
    public int WriteParallelism { get; set; } = 8;

    /// <summary>Profiles rebuilt concurrently after a batch.</summary>
    [Range(1, 64)]
    public int RebuildParallelism { get; set; } = 4;

    /// <summary>A progress line is logged every this many records.</summary>
    [Range(1, int.MaxValue)]
    public int ProgressEvery { get; set; } = 1000;

    /// <summary>
    /// The receipt records a checkpoint every this many records: an attempt that stops part-way (a timeout, a restart)
    /// is resumed after the last checkpoint instead of starting again.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 10_000;

    /// <summary>Rejected records listed in a receipt with their location and reason; the rest are counted.</summary>
    [Range(0, 1_000_000)]
    public int MaxErrorDetails { get; set; } = 10_000;
}

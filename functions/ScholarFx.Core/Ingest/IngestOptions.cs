namespace ScholarFx.Core.Ingest;

/// <summary>Settings of ingestion (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>Records embedded, scored and written together.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Invocations of one blob version before it is recorded as poison: the attempt that reaches it records poison, since
    /// the host (host.json <c>poisonBlobThreshold</c>, kept equal and tested) makes no more.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// How long an attempt holds a blob version without renewing (seconds); it renews after every batch. A duplicate
    /// event for a version held leaves it to the holder; a holder that died gives it up when this runs out.
    /// </summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Papers written concurrently within a batch.</summary>
    public int WriteParallelism { get; set; } = 8;

    /// <summary>Profiles rebuilt concurrently after a batch.</summary>
    public int RebuildParallelism { get; set; } = 4;

    /// <summary>A progress line is logged every this many records.</summary>
    public int ProgressEvery { get; set; } = 1000;

    /// <summary>
    /// The receipt records a checkpoint every this many records: an attempt that stops part-way (a timeout, a restart)
    /// is resumed after the last checkpoint instead of starting again.
    /// </summary>
    public int CheckpointEvery { get; set; } = 10_000;

    /// <summary>Rejected records listed in a receipt with their location and reason; the rest are counted.</summary>
    public int MaxErrorDetails { get; set; } = 10_000;
}

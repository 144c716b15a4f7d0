using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Settle;

/// <summary>Settings of settling (section <c>Settle</c>), validated at start.</summary>
public sealed class SettleOptions
{
    /// <summary>Seconds without a new ingest batch before a burst is settled (<c>Settle__QuietSeconds</c>).</summary>
    [Range(0, 600)]
    public int QuietSeconds { get; set; } = 5;

    /// <summary>Longest a request waits for a quiet moment before it is settled anyway (<c>Settle__MaxDelaySeconds</c>).</summary>
    [Range(0, 3600)]
    public int MaxDelaySeconds { get; set; } = 30;

    /// <summary>Concurrent paper writes while settling.</summary>
    [Range(1, 64)]
    public int WriteParallelism { get; set; } = 8;

    /// <summary>
    /// Seconds of the settle lease (<c>Settle__LeaseSeconds</c>, 15–60, as blob leases allow). A holder renews every
    /// third of it and stops writing three quarters of it after its last renewal: shorter notices a lost lease sooner.
    /// </summary>
    [Range(15, 60)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Concurrent profile rebuilds while settling.</summary>
    [Range(1, 64)]
    public int RebuildParallelism { get; set; } = 4;
}

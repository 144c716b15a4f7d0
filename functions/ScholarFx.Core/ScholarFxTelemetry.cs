using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ScholarFx.Core;

/// <summary>
/// The service's traces and metrics, under one name (<see cref="Name"/>) that the function app exports to Application
/// Insights through OpenTelemetry: ingest, settling and rescore shards are traced operations, and their counts are
/// metrics. Nothing from an input's text goes into a tag: blob names, counts, statuses and exception types only.
/// </summary>
public static class ScholarFxTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "ScholarFx";

    /// <summary>Traced operations: <c>ingest</c>, <c>settle</c>, <c>rescore shard</c>.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Files whose ingest ended, by final <c>status</c> (succeeded, partial, failed, poison).</summary>
    public static readonly Counter<long> Files = Meter.CreateCounter<long>("scholarfx.ingest.files", "{file}", "Files whose ingest ended, by status");

    /// <summary>Records of ingested files, by <c>outcome</c> (created, updated, merged, unchanged, rejected).</summary>
    public static readonly Counter<long> Records = Meter.CreateCounter<long>("scholarfx.ingest.records", "{record}", "Records of ingested files, by outcome");

    /// <summary>Papers whose scores settling changed.</summary>
    public static readonly Counter<long> PapersSettled = Meter.CreateCounter<long>("scholarfx.settle.papers", "{paper}", "Papers whose scores settling changed");

    /// <summary>Profiles rebuilt by settling.</summary>
    public static readonly Counter<long> ProfilesRebuilt = Meter.CreateCounter<long>("scholarfx.settle.profiles", "{profile}", "Profiles settling rebuilt");

    /// <summary>Papers a rescore shard handled, by <c>phase</c> and <c>outcome</c> (done, failed).</summary>
    public static readonly Counter<long> RescoreItems = Meter.CreateCounter<long>("scholarfx.rescore.items", "{paper}", "Papers rescore shards handled, by phase and outcome");

    /// <summary>Marks an operation failed with the exception's type (its message may carry account or input details).</summary>
    public static void Failed(Activity? activity, Exception e)
    {
        activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        activity?.SetTag("error.type", e.GetType().FullName);
    }
}

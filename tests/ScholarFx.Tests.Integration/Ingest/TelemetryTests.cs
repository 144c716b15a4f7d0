using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScholarFx.Core;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>Issue 12: an ingest is a traced operation with its outcome, and its counts are metrics (what the app exports).</summary>
public sealed class TelemetryTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AnIngest_IsTracedWithItsOutcome_AndCounted()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ScholarFxTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentBag<(string Instrument, long Value, string? Tag)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ScholarFxTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.Length > 0 ? tags[0].Value?.ToString() : null)));
        meters.Start();
        var tag = TestPapers.Unique("traced");
        var name = await fixture.UploadAsync(tag + ".jsonl", TestPapers.Lines(TestPapers.Paper("Traced " + tag, ["Tracer " + tag], "2021-01-01"), "{ broken"));

        var receipt = await fixture.IngestAsync(name);

        Assert.Equal(ReceiptStatus.Partial, receipt.Status);
        var ingest = Assert.Single(activities, a => a.DisplayName == "ingest" && (string?)a.GetTagItem("scholarfx.blob") == name);
        Assert.Equal(ReceiptStatus.Partial, ingest.GetTagItem("scholarfx.receipt.status"));
        Assert.Contains(measurements, m => m == ("scholarfx.ingest.files", 1, ReceiptStatus.Partial));
        Assert.Contains(measurements, m => m.Instrument == "scholarfx.ingest.records" && m.Tag == "rejected");
    }
}

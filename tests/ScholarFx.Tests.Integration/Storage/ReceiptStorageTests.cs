using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Storage;

public sealed class ReceiptStorageTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private ReceiptStore Receipts => fixture.Services.GetRequiredService<ReceiptStore>();

    [Fact]
    public async Task ErrorsThatEscapeToMoreThanAPropertyHolds_MoveToTheOverflowBlob_AndNoneIsLost()
    {
        // 150 errors of 300 characters that JSON escapes six-fold (<, >, &): 100 inline would be about 180K characters,
        // over Table Storage's 32K, and the receipt's write (so the file's ingest) used to fail with a 400.
        await fixture.Services.GetRequiredService<ScholarFxStorage>().EnsureCreatedAsync(CancellationToken.None);
        var errors = Enumerable.Range(0, 150).Select(i => new IngestError($"line {i + 1}", $"{i}:" + new string('<', 300))).ToList();
        var receipt = new Receipt
        {
            Blob = TestPapers.Unique("escaped") + ".jsonl",
            BlobETag = "\"0x1\"",
            Status = ReceiptStatus.Partial,
            Errors = errors,
        };

        await Receipts.WriteAsync(receipt, CancellationToken.None);

        var (stored, _) = await Receipts.GetAsync(receipt.Blob, receipt.BlobETag, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.InRange(stored.Errors.Count, 1, ReceiptStore.InlineErrors - 1);
        Assert.NotNull(stored.MoreErrorsBlob);
        var all = await Receipts.AllErrorsAsync(stored, CancellationToken.None);
        Assert.Equal(errors.Select(e => e.Location), all.Select(e => e.Location));
        Assert.Equal(errors.Skip(stored.Errors.Count), all.Skip(stored.Errors.Count));
    }

    [Fact]
    public async Task TheWatermark_IsReadFromTheFilesInFlight_NotFromAScanOfEveryReceipt()
    {
        var queries = new QueryRecorder();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(queries, HttpPipelinePosition.PerCall))));
        var receipts = host.Services.GetRequiredService<ReceiptStore>();
        await host.Services.GetRequiredService<ScholarFxStorage>().EnsureCreatedAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        Receipt Receipt(string name, string status) => new() { Blob = TestPapers.Unique(name) + ".jsonl", BlobETag = "\"0x1\"", Status = status, StartedAt = now };

        // Files taken in long ago, one whose holder died, and two being ingested now.
        foreach (var i in Enumerable.Range(0, 20))
        {
            await receipts.WriteAsync(Receipt("done", ReceiptStatus.Succeeded), CancellationToken.None);
        }

        await receipts.WriteAsync(Receipt("dead", ReceiptStatus.Processing) with { Owner = "gone", LeaseUntil = now.AddMinutes(-1), Watermark = new DateOnly(2020, 1, 1) }, CancellationToken.None);
        var early = Receipt("early", ReceiptStatus.Processing) with { Owner = "a", LeaseUntil = now.AddMinutes(5), Watermark = new DateOnly(2024, 5, 1) };
        var late = Receipt("late", ReceiptStatus.Processing) with { Owner = "b", LeaseUntil = now.AddMinutes(5) };
        await receipts.WriteAsync(early, CancellationToken.None);
        await receipts.WriteAsync(late, CancellationToken.None);
        await receipts.AdvanceAsync(late.Blob, late.BlobETag, new DateOnly(2024, 3, 1), CancellationToken.None);
        queries.Filters.Clear();

        Assert.Equal(new DateOnly(2024, 3, 1), await receipts.WatermarkAsync(now, CancellationToken.None));
        var filter = Assert.Single(queries.Filters);
        Assert.Contains("PartitionKey eq", filter, StringComparison.Ordinal);

        // A file that ends leaves the files in flight; the other's watermark stands.
        await receipts.WriteAsync(late with { Status = ReceiptStatus.Succeeded, Watermark = null, LeaseUntil = null }, CancellationToken.None);
        Assert.Equal(new DateOnly(2024, 5, 1), await receipts.WatermarkAsync(now, CancellationToken.None));
        await receipts.WriteAsync(early with { Status = ReceiptStatus.Partial }, CancellationToken.None);
        Assert.Null(await receipts.WatermarkAsync(now, CancellationToken.None));
    }

    /// <summary>The <c>$filter</c> of every query sent to the Receipts table.</summary>
    private sealed class QueryRecorder : HttpPipelineSynchronousPolicy
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Filters { get; private set; } = new();

        public override void OnSendingRequest(HttpMessage message)
        {
            var uri = message.Request.Uri.ToUri();
            if (message.Request.Method == RequestMethod.Get && uri.AbsolutePath.Contains("/Receipts()", StringComparison.Ordinal))
            {
                Filters.Enqueue(System.Web.HttpUtility.ParseQueryString(uri.Query)["$filter"] ?? "");
            }
        }
    }
}

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
}

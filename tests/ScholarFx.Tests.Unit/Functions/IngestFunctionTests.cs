using Azure.Storage.Blobs;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Ingest;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class IngestFunctionTests
{
    private static readonly BlobClient Blob = new(new Uri("https://account.blob.core.windows.net/abstracts/batch/papers.jsonl"));

    [Fact]
    public async Task Ingest_PassesTheBlobNameToTheService_WhichReadsOneVersionOfIt()
    {
        var service = Substitute.For<IIngestService>();
        var function = new IngestFunction(service);
        using var cancellation = new CancellationTokenSource();

        await function.Ingest(Blob, cancellation.Token);

        await service.Received(1).IngestAsync("batch/papers.jsonl", cancellation.Token);
    }

    [Fact]
    public async Task Ingest_LetsUnexpectedFailurePropagate_SoHostRetries()
    {
        var service = Substitute.For<IIngestService>();
        service.IngestAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns<Receipt>(_ => throw new IOException("storage down"));
        var function = new IngestFunction(service);

        await Assert.ThrowsAsync<IOException>(() => function.Ingest(Blob, CancellationToken.None));
    }
}

using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Ingest;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class IngestFunctionTests
{
    [Fact]
    public async Task Ingest_PassesBlobNameAndStreamToService()
    {
        var service = Substitute.For<IIngestService>();
        var function = new IngestFunction(service);
        using var blob = new MemoryStream([1, 2, 3]);
        using var cancellation = new CancellationTokenSource();

        await function.Ingest(blob, "batch/papers.jsonl", cancellation.Token);

        await service.Received(1).IngestAsync("batch/papers.jsonl", blob, cancellation.Token);
    }

    [Fact]
    public async Task Ingest_LetsUnexpectedFailurePropagate_SoHostRetries()
    {
        var service = Substitute.For<IIngestService>();
        service.IngestAsync(Arg.Any<string>(), Arg.Any<Stream>(), Arg.Any<CancellationToken>())
            .Returns<Receipt>(_ => throw new IOException("storage down"));
        var function = new IngestFunction(service);

        await Assert.ThrowsAsync<IOException>(() => function.Ingest(new MemoryStream(), "a.jsonl", CancellationToken.None));
    }
}

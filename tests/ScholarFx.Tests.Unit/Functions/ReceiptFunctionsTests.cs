using Microsoft.AspNetCore.Http;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Http;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class ReceiptFunctionsTests
{
    private readonly IReceiptQueries queries = Substitute.For<IReceiptQueries>();
    private readonly ReceiptFunctions functions;

    public ReceiptFunctionsTests()
    {
        functions = new ReceiptFunctions(queries, Api());
    }

    [Fact]
    public async Task GetReceipt_Returns404ProblemJson_ForUnknownFile()
    {
        var request = Get("/api/receipts/missing.jsonl");

        var result = await functions.GetReceipt(request, "missing.jsonl", CancellationToken.None);

        var problem = Problem(result, StatusCodes.Status404NotFound);
        Assert.Contains("missing.jsonl", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReceipt_Returns404WithoutQuery_ForEmptyId()
    {
        var request = Get("/api/receipts/");

        var result = await functions.GetReceipt(request, "", CancellationToken.None);

        Problem(result, StatusCodes.Status404NotFound);
        await queries.DidNotReceiveWithAnyArgs().GetAsync(default!, default);
    }

    [Fact]
    public async Task GetReceipt_ReturnsReceiptUncached_WithErrorLines()
    {
        var receipt = new Receipt
        {
            Blob = "batch/papers.jsonl",
            BlobETag = "0x1",
            Status = ReceiptStatus.Partial,
            RecordsRead = 3,
            PapersCreated = 2,
            RecordsRejected = 1,
            Errors = [new IngestError("line 2", "invalid JSON")],
        };
        queries.GetAsync("batch/papers.jsonl", Arg.Any<CancellationToken>())
            .Returns(new ReceiptView("batch/papers.jsonl", ReceiptStatus.Partial, receipt, []));
        var request = Get("/api/receipts/batch%2Fpapers.jsonl");

        var result = await functions.GetReceipt(request, "batch%2Fpapers.jsonl", CancellationToken.None);

        var body = Body(result);
        Assert.Equal("partial", body.GetProperty("status").GetString());
        Assert.Equal("line 2", body.GetProperty("latest").GetProperty("errors")[0].GetProperty("location").GetString());
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
    }
}

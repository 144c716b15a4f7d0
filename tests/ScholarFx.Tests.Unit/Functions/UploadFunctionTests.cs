using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScholarFx.Core.Ingest;
using ScholarFx.Functions.Ingest;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class UploadFunctionTests
{
    private readonly IAbstractUploads uploads = Substitute.For<IAbstractUploads>();

    [Fact]
    public async Task UploadAbstracts_Returns202WithReceiptLocation()
    {
        uploads.StoreAsync(Arg.Any<Stream>(), Arg.Any<long?>(), "papers.jsonl", Arg.Any<CancellationToken>())
            .Returns(new UploadResult("uploads/2026/11/26/abc-papers.jsonl", false));
        var request = Get("/api/abstracts", "?name=papers.jsonl");
        request.Method = HttpMethods.Post;

        var result = await new UploadFunction(uploads, Api()).UploadAbstracts(request, CancellationToken.None);

        var accepted = Assert.IsType<AcceptedResult>(result);
        Assert.Equal("/api/receipts/uploads%2F2026%2F11%2F26%2Fabc-papers.jsonl", accepted.Location);
    }

    [Fact]
    public async Task UploadAbstracts_Returns413Problem_WhenTooLarge()
    {
        uploads.StoreAsync(Arg.Any<Stream>(), Arg.Any<long?>(), Arg.Any<string?>(), Arg.Any<CancellationToken>())
            .Returns(new UploadResult(null, true));
        var request = Get("/api/abstracts");
        request.Method = HttpMethods.Post;

        var result = await new UploadFunction(uploads, Api()).UploadAbstracts(request, CancellationToken.None);

        Problem(result, StatusCodes.Status413PayloadTooLarge);
    }
}

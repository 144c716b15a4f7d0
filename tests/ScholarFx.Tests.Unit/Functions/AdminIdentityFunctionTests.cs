using Microsoft.AspNetCore.Http;
using ScholarFx.Core.Ingest;
using ScholarFx.Functions.Identity;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class AdminIdentityFunctionTests
{
    private readonly IIdentityCurations curations = Substitute.For<IIdentityCurations>();

    private HttpRequest Post(string query = "")
    {
        var request = Get("/api/admin/identity", query);
        request.Method = HttpMethods.Post;
        request.Body = new MemoryStream("{}"u8.ToArray());
        return request;
    }

    [Fact]
    public async Task CorrectIdentities_AnswersWhatTheCorrectionsDid_ForTheNamedCurator()
    {
        curations.ApplyAsync(Arg.Any<Stream>(), "library", Arg.Any<CancellationToken>())
            .Returns(new CurationOutcome("curations/x.json", "library", 2, 1, 3, [new IngestError("correction 2", "no stored paper 'x'")]));

        var result = await new AdminIdentityFunction(curations, Api()).CorrectIdentities(Post("?curator=library"), CancellationToken.None);

        var body = Body(result);
        Assert.Equal((1, 3, "library"), (body.GetProperty("applied").GetInt32(), body.GetProperty("papersMoved").GetInt32(), body.GetProperty("curator").GetString()));
        Assert.Equal("correction 2", body.GetProperty("errors")[0].GetProperty("location").GetString());
    }

    [Fact]
    public async Task CorrectIdentities_Is400_WhenTheBodyIsNoCorrectionsFile()
    {
        curations.ApplyAsync(default!, default!, default).ReturnsForAnyArgs(new CurationOutcome("curations/x.json", "admin", 0, 0, 0, [new IngestError("file", "not valid JSON")]));

        var result = await new AdminIdentityFunction(curations, Api()).CorrectIdentities(Post(), CancellationToken.None);

        Assert.Equal("not valid JSON", Problem(result, StatusCodes.Status400BadRequest).Detail);
    }

    [Fact]
    public async Task CorrectIdentities_Is413_PastTheFileLimit()
    {
        curations.ApplyAsync(default!, default!, default).ReturnsForAnyArgs(new CurationOutcome("curations/x.json", "admin", 0, 0, 0, [new IngestError("file", "too big")]) { TooLarge = true });

        var result = await new AdminIdentityFunction(curations, Api()).CorrectIdentities(Post(), CancellationToken.None);

        Problem(result, StatusCodes.Status413PayloadTooLarge);
    }
}

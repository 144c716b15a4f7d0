using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Profiles;
using ScholarFx.Functions.Http;
using static ScholarFx.Tests.Unit.Functions.HttpTestHelper;

namespace ScholarFx.Tests.Unit.Security;

public sealed class ResponseDefencesTests
{
    [Fact]
    public void AProblem_NamesThePathOnly_NeverTheQueryWithItsKey()
    {
        var request = Get("/api/receipts/x.jsonl", "?code=s3cr3t");

        var problem = Problem(ApiResults.NotFound(request, "none", Api().Value), StatusCodes.Status404NotFound);

        Assert.Equal("/api/receipts/x.jsonl", problem.Instance);
    }

    [Fact]
    public async Task AnUnhandledException_InAnHttpFunction_IsProblemJson500WithACorrelationId_AndNoInternals()
    {
        var http = new DefaultHttpContext { TraceIdentifier = "trace-1" };
        http.Request.Path = "/api/profiles";
        http.Response.Body = new MemoryStream();
        var context = FunctionContextWith(http);
        var middleware = new HttpEnvelopeMiddleware(NullLogger<HttpEnvelopeMiddleware>.Instance);

        await middleware.Invoke(context, _ => throw new InvalidOperationException("secret internals at Storage.Query"));

        Assert.Equal(500, http.Response.StatusCode);
        Assert.StartsWith("application/problem+json", http.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
        var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        Assert.DoesNotContain("secret internals", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("correlationId").GetString()));
        Assert.Equal("/api/profiles", json.RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task AnExceptionOfAnotherTrigger_ReachesTheHost_SoItIsRetried()
    {
        var context = FunctionContextWith(null);
        var middleware = new HttpEnvelopeMiddleware(NullLogger<HttpEnvelopeMiddleware>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.Invoke(context, _ => throw new InvalidOperationException("blob failed")));
    }

    [Fact]
    public async Task EveryHttpAnswer_IsNosniff_WithANoResourcePolicy()
    {
        var http = new DefaultHttpContext();
        var middleware = new HttpEnvelopeMiddleware(NullLogger<HttpEnvelopeMiddleware>.Instance);

        await middleware.Invoke(FunctionContextWith(http), _ => Task.CompletedTask);

        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal(PageSecurity.None, http.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [Fact]
    public void ThePagePolicy_AllowsExactlyThePagesOwnStylesheet_AndNoScript()
    {
        var page = PageResult.Problem(404, "Not found", "nothing here").Body;
        var style = Regex.Match(page, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));

        Assert.Contains($"style-src 'sha256-{hash}'", PageSecurity.Page, StringComparison.Ordinal);
        Assert.DoesNotContain("script", PageSecurity.Page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", PageSecurity.Page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://scholarfx.example.org", true)]
    [InlineData("http://127.0.0.1:7071/", true)]
    [InlineData("", true)]
    [InlineData("scholarfx.example.org", false)]
    [InlineData("https://scholarfx.example.org/?x=1", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://user:pw@scholarfx.example.org", false)]
    public void ThePublicBaseUrl_IsAnAbsoluteHttpAddress_OrEmpty(string value, bool valid)
    {
        var options = new ApiOptions { PublicBaseUrl = value };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
    }

    [Theory]
    [InlineData("uploads/2026/12/07/a-papers.jsonl", true)]
    [InlineData("lab-a/monthly/2025-03.jsonl", true)]
    [InlineData("../settle-poison/x", false)]
    [InlineData("uploads/../../scholarfx-corpus/snapshot", false)]
    [InlineData("./x", false)]
    [InlineData("/abstracts/x", false)]
    [InlineData("a//b", false)]
    [InlineData("a\\..\\b", false)]
    [InlineData("a\u0000b", false)]
    public void AnInputFilesName_CannotLeaveTheAbstractsContainer(string name, bool valid)
    {
        Assert.Equal(valid, InputBlobNames.Problem(name) is null);
    }

    [Fact]
    public void AnInputFilesName_WithALoneSurrogate_IsRefused()
    {
        // Built here: a lone surrogate does not survive a test case's serialisation.
        Assert.NotNull(InputBlobNames.Problem("a" + (char)0xD800 + "b"));
    }

    private static FunctionContext FunctionContextWith(HttpContext? http)
    {
        var context = Substitute.For<FunctionContext>();
        var items = new Dictionary<object, object>();
        if (http is not null)
        {
            // Where the worker's ASP.NET Core integration puts the request's context (FunctionContext.GetHttpContext).
            items["HttpRequestContext"] = http;
        }

        context.Items.Returns(items);
        return context;
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Tests.Unit.Functions;

internal static class HttpTestHelper
{
    public static IOptions<ApiOptions> Api(int cacheSeconds = 60, string origins = "*") =>
        Options.Create(new ApiOptions { CacheSeconds = cacheSeconds, CorsAllowedOrigins = origins });

    public static HttpRequest Get(string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    public static ProblemDetails Problem(IActionResult result, int status)
    {
        var objectResult = Assert.IsType<ObjectResult>(result);
        Assert.Equal(status, objectResult.StatusCode);
        Assert.Contains("application/problem+json", objectResult.ContentTypes);
        var problem = Assert.IsType<ProblemDetails>(objectResult.Value);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    public static JsonElement Body(IActionResult result, int status = StatusCodes.Status200OK)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(status, content.StatusCode);
        Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(content.Content!);
        return document.RootElement.Clone();
    }
}

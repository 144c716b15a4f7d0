using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Functions.Http.OpenApi;

namespace ScholarFx.Functions.Http;

/// <summary>The description of the HTTP API.</summary>
public sealed class OpenApiFunction(IOptions<ApiOptions> api)
{
    private static readonly Lazy<string> Tag = new(() => "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiDescription.Json)))[..32] + "\"");

    /// <summary>GET /api/openapi.json: every HTTP route of the app as an OpenAPI 3.1 document (built once a process).</summary>
    [Function(nameof(OpenApiDescription))]
    public IActionResult OpenApiDescription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        ApiResults.Json(request, ApiDescription.Json, Tag.Value, api.Value);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Core.Health;

namespace ScholarFx.Functions.Http;

/// <summary>Liveness and dependency health.</summary>
public sealed class HealthFunction(IHealthService health, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/health: storage reachable, models, corpus size, last and current rescore; 503 when unhealthy.</summary>
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        if (!report.StorageReachable)
        {
            // Never a 304: an unhealthy answer must reach the caller whatever it cached.
            var unhealthy = (ContentResult)ApiResults.Json(request, report, api.Value, cacheable: false, conditional: false);
            unhealthy.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return unhealthy;
        }

        return ApiResults.Json(request, report, api.Value, cacheable: false);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Http;

namespace ScholarFx.Functions.Rescore;

/// <summary>Operators' on-demand rescore and its status.</summary>
public sealed class AdminRescoreFunction(IRescoreService rescore, IOptions<ApiOptions> api)
{
    /// <summary>
    /// POST /api/admin/rescore[?full=true]: starts a run that fans out over the rescore queue (or finds the one already
    /// running) and answers at once: 202 Accepted with the run and its status URL in <c>Location</c>. A run can take far
    /// longer than an HTTP request may (Azure cuts one at about 230 s).
    /// </summary>
    [Function(nameof(StartRescore))]
    public async Task<IActionResult> StartRescore(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/admin/rescore")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var full = string.Equals(request.Query["full"], "true", StringComparison.OrdinalIgnoreCase);
        var run = await rescore.StartAsync("admin", full, cancellationToken);
        var location = "/api/admin/rescore/" + Uri.EscapeDataString(run.Id);
        request.HttpContext.Response.Headers.Location = location;
        var result = (ContentResult)ApiResults.Json(request, run, api.Value, cacheable: false, conditional: false);
        result.StatusCode = StatusCodes.Status202Accepted;
        return result;
    }

    /// <summary>GET /api/admin/rescore/{runId}: the run's phase, shards done, progress, failures and what it changed.</summary>
    [Function(nameof(GetRescore))]
    public async Task<IActionResult> GetRescore(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "api/admin/rescore/{runId}")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken)
    {
        var run = await rescore.GetAsync(runId, cancellationToken);
        return run is null
            ? ApiResults.NotFound(request, $"No rescore run '{runId}'.", api.Value)
            : ApiResults.Json(request, run, api.Value, cacheable: false, conditional: false);
    }
}

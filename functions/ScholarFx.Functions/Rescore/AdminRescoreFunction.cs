using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Http;

namespace ScholarFx.Functions.Rescore;

/// <summary>Operators' on-demand rescore.</summary>
public sealed class AdminRescoreFunction(IRescoreService rescore, IOptions<ApiOptions> api)
{
    /// <summary>POST /api/admin/rescore: runs the nightly rescore now and answers with what it did.</summary>
    [Function(nameof(StartRescore))]
    public async Task<IActionResult> StartRescore(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/rescore")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var result = await rescore.RunAsync(cancellationToken);
        return ApiResults.Json(request, new
        {
            result.Embedded,
            result.Assessed,
            result.PapersChanged,
            result.ProfilesRebuilt,
            elapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
        }, api.Value, cacheable: false, conditional: false);
    }
}

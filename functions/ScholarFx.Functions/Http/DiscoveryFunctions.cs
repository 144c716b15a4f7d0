using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Discovery;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>Finding papers by meaning: similar papers and free-text search, on the scoring's own index and model.</summary>
public sealed class DiscoveryFunctions(IPaperDiscovery discovery, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/papers/{paperId}/similar?top=&amp;before=&amp;after=: the nearest papers by embedding.</summary>
    [Function(nameof(SimilarPapers))]
    public async Task<IActionResult> SimilarPapers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/papers/{paperId}/similar")] HttpRequest request,
        string paperId,
        CancellationToken cancellationToken)
    {
        if (!ApiResults.TryGetInt(request, "top", out var top))
        {
            return ApiResults.BadRequest(request, "top must be a whole number", api.Value);
        }

        var id = ApiResults.RouteValue(paperId);
        var result = await discovery.SimilarAsync(id, top, request.Query["before"].ToString(), request.Query["after"].ToString(), cancellationToken, ApiResults.ClientAddress(request));
        return result.Problem is { } problem ? ApiResults.Refusal(request, problem, result.RetryAfter, api.Value)
            : result.Value is null ? ApiResults.NotFound(request, $"No paper with id or alias '{id}'.", api.Value)
            : ApiResults.Json(request, result.Value, api.Value);
    }

    /// <summary>GET /api/papers?q=&amp;category=&amp;from=&amp;to=&amp;top=: papers ranked by similarity to free text.</summary>
    [Function(nameof(SearchPapers))]
    public async Task<IActionResult> SearchPapers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/papers")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiResults.TryGetInt(request, "top", out var top))
        {
            return ApiResults.BadRequest(request, "top must be a whole number", api.Value);
        }

        var q = request.Query;
        var result = await discovery.SearchAsync(q["q"].ToString(), q["category"].ToString(), q["from"].ToString(), q["to"].ToString(), top, cancellationToken, ApiResults.ClientAddress(request));
        return result.Problem is { } problem
            ? ApiResults.Refusal(request, problem, result.RetryAfter, api.Value)
            : ApiResults.Json(request, result.Value, api.Value);
    }
}

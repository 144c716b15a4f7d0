using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>Public reads of papers.</summary>
public sealed class PaperFunctions(IPaperQueries papers, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/papers/{paperId}: the paper with scores and explanations; merged and alternative ids resolve.</summary>
    [Function(nameof(GetPaper))]
    public async Task<IActionResult> GetPaper(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/papers/{*paperId}")] HttpRequest request,
        string paperId,
        CancellationToken cancellationToken)
    {
        var id = ApiResults.RouteValue(paperId ?? "");
        if (id.Length == 0)
        {
            return ApiResults.BadRequest(request, "a paper id is required, e.g. /api/papers/arxiv%3A2303.11698", api.Value);
        }

        var paper = await papers.GetPaperAsync(id, cancellationToken);
        return paper is null
            ? ApiResults.NotFound(request, $"No paper with id or alias '{id}'.", api.Value)
            : ApiResults.Json(request, paper, api.Value);
    }
}

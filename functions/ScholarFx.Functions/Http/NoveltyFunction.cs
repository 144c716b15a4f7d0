using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Drafts;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>The draft novelty check: what a draft would score if published that day; nothing of it is stored.</summary>
public sealed class NoveltyFunction(IDraftCheck drafts, IOptions<ApiOptions> api)
{
    /// <summary>POST /api/novelty: body { title, abstract, categories?, authors?, date? }; 400/413 problem JSON for bad input.</summary>
    [Function(nameof(CheckDraft))]
    public async Task<IActionResult> CheckDraft(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/novelty")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > IDraftCheck.MaxBodyBytes)
        {
            return ApiResults.Problem(request, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"A draft is at most {IDraftCheck.MaxBodyBytes:N0} bytes of JSON.", api.Value);
        }

        var result = await drafts.CheckAsync(request.Body, cancellationToken);
        return result.Problem is { } problem
            ? ApiResults.BadRequest(request, problem, api.Value)
            : ApiResults.Json(request, result.Value, api.Value, cacheable: false, conditional: false);
    }
}

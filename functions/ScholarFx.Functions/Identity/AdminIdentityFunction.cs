using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Profiles;
using ScholarFx.Functions.Http;

namespace ScholarFx.Functions.Identity;

/// <summary>The curators' route: identity corrections need the admin key, which uploaders do not hold.</summary>
public sealed class AdminIdentityFunction(IIdentityCurations curations, IOptions<ApiOptions> api)
{
    /// <summary>
    /// POST /api/admin/identity[?curator=name]: applies the body, an identity corrections file (<c>scholarfxIdentity</c>:
    /// merge, move, variant), and answers 200 with what it did (applied, papers moved, each refused correction with its
    /// place), 400 when nothing in it could be applied, 413 past the file limit.
    /// </summary>
    [Function(nameof(CorrectIdentities))]
    public async Task<IActionResult> CorrectIdentities(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/admin/identity")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var curator = request.Query["curator"].ToString() is { Length: > 0 and <= 100 } named ? named : "admin";
        var outcome = await curations.ApplyAsync(request.Body, curator, cancellationToken);
        if (outcome.TooLarge)
        {
            return ApiResults.Problem(request, StatusCodes.Status413PayloadTooLarge, "Payload too large", outcome.Errors[0].Message, api.Value);
        }

        if (outcome.Unreadable)
        {
            return ApiResults.BadRequest(request, outcome.Errors[0].Message, api.Value);
        }

        return ApiResults.Json(request, outcome, api.Value, cacheable: false, conditional: false);
    }
}

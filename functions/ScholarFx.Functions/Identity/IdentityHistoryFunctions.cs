using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Profiles;
using ScholarFx.Functions.Http;
using ScholarFx.Functions.Http.Bodies;

namespace ScholarFx.Functions.Identity;

/// <summary>The identity history of a profile and the curators' revert: both need the admin key (docs/identity.md#audit-trail).</summary>
public sealed class IdentityHistoryFunctions(IIdentityHistory history, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/profiles/{authorId}/history?cursor=&amp;top=: every identity change of the profile, newest first, paged.</summary>
    [Function(nameof(GetProfileHistory))]
    public async Task<IActionResult> GetProfileHistory(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "api/profiles/{authorId}/history")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken) =>
        await ApiResults.AuthorPageAsync(request, authorId, (id, cursor, top) => history.GetPageAsync(id, cursor, top, cancellationToken),
            page => new HistoryPage(page.Items, page.Next), id => $"No identity history for '{id}'.", api.Value, cacheable: false);

    /// <summary>
    /// POST /api/admin/identity/revert?entry=&amp;curator=: undoes the correction recorded as the history entry
    /// <c>entry</c> and records the revert; 200 with the revert's entry, 404 for an unknown entry, 409 when it cannot be
    /// reverted (not a correction, reverted already, or changed since by a later correction).
    /// </summary>
    [Function(nameof(RevertIdentityCorrection))]
    public async Task<IActionResult> RevertIdentityCorrection(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/admin/identity/revert")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Query["entry"].ToString() is not { Length: > 0 and <= 600 } entry)
        {
            return ApiResults.BadRequest(request, "entry must be the id of an identity history entry (GET /api/profiles/{authorId}/history)", api.Value);
        }

        var curator = request.Query["curator"].ToString() is { Length: > 0 and <= 100 } named ? named : "admin";
        var outcome = await history.RevertAsync(entry, curator, cancellationToken);
        return outcome.Status switch
        {
            RevertStatus.NotFound => ApiResults.NotFound(request, outcome.Problem!, api.Value),
            RevertStatus.Conflict => ApiResults.Problem(request, StatusCodes.Status409Conflict, "Conflict", outcome.Problem!, api.Value),
            _ => ApiResults.Json(request, outcome, api.Value, cacheable: false, conditional: false),
        };
    }
}

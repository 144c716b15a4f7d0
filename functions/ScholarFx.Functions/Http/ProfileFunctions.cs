using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>Public reads of author profiles.</summary>
public sealed class ProfileFunctions(IProfileQueries profiles, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/profiles/{authorId}: the stored, pre-rendered profile (one point read).</summary>
    [Function(nameof(GetProfile))]
    public async Task<IActionResult> GetProfile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profiles/{authorId}")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken)
    {
        var id = ApiResults.AuthorId(authorId);
        var profile = await profiles.GetProfileAsync(id, cancellationToken);
        return profile is null
            ? ApiResults.NotFound(request, $"No author with id '{id}'. Find authors with /api/profiles?q=name.", api.Value)
            : profile.MovedTo is { } moved ? ApiResults.MovedTo(request, "/api/profiles/" + Uri.EscapeDataString(moved), api.Value)
            : ApiResults.Json(request, profile.Json, profile.ETag, api.Value);
    }

    /// <summary>GET /api/profiles/{authorId}/papers?cursor=&amp;top=: the author's papers, newest first, paged.</summary>
    [Function(nameof(GetProfilePapers))]
    public async Task<IActionResult> GetProfilePapers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profiles/{authorId}/papers")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken)
    {
        if (!ApiResults.TryGetInt(request, "top", out var top))
        {
            return ApiResults.BadRequest(request, "top must be a whole number", api.Value);
        }

        var id = ApiResults.AuthorId(authorId);
        var result = await profiles.GetPapersAsync(id, request.Query["cursor"].ToString(), top, cancellationToken);
        if (result.Problem is not null)
        {
            return ApiResults.BadRequest(request, result.Problem, api.Value);
        }

        return result.Value is null
            ? ApiResults.NotFound(request, $"No author with id '{id}'.", api.Value)
            : ApiResults.Json(request, new { papers = result.Value.Items, next = result.Value.Next }, api.Value);
    }

    /// <summary>GET /api/profiles?q=&amp;cursor=&amp;top=: authors whose name starts with the query's words.</summary>
    [Function(nameof(FindProfiles))]
    public async Task<IActionResult> FindProfiles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profiles")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiResults.TryGetInt(request, "top", out var top))
        {
            return ApiResults.BadRequest(request, "top must be a whole number", api.Value);
        }

        var result = await profiles.FindAsync(request.Query["q"].ToString(), request.Query["cursor"].ToString(), top, cancellationToken);
        if (result.Problem is not null)
        {
            return ApiResults.BadRequest(request, result.Problem, api.Value);
        }

        var authors = result.Value!.Items.Select(h => new
        {
            id = h.Id,
            name = h.Name,
            paperCount = h.PaperCount,
            primaryCategory = h.PrimaryCategory,
            href = "/api/profiles/" + Uri.EscapeDataString(h.Id),
        });
        return ApiResults.Json(request, new { authors, next = result.Value.Next }, api.Value);
    }
}

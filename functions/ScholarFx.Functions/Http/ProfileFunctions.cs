using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Functions.Http.Bodies;

namespace ScholarFx.Functions.Http;

/// <summary>Public reads of author profiles.</summary>
public sealed class ProfileFunctions(IProfileQueries profiles, IProfileLists lists, ScholarFx.Core.Discovery.ITopicAuthors topics, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/profiles/{authorId}: the stored, pre-rendered profile (one point read).</summary>
    [Function(nameof(GetProfile))]
    public async Task<IActionResult> GetProfile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/profiles/{authorId}")] HttpRequest request,
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
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/profiles/{authorId}/papers")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken) =>
        await ApiResults.AuthorPageAsync(request, authorId, (id, cursor, top) => profiles.GetPapersAsync(id, cursor, top, cancellationToken),
            page => new PapersPage(page.Items, page.Next), id => $"No author with id '{id}'.", api.Value);

    /// <summary>
    /// GET /api/profiles?q=&amp;cursor=&amp;top=: authors whose name starts with the query's words; or, with
    /// <c>sort</c> (hIndex, citations, novelty, aiScore, pioneer) and/or <c>category</c>, the ranked list of the category's (or
    /// every) profile, best first; or, with <c>topic</c>, authors ranked by how close their papers are to it.
    /// </summary>
    [Function(nameof(FindProfiles))]
    public async Task<IActionResult> FindProfiles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/profiles")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiResults.TryGetInt(request, "top", out var top))
        {
            return ApiResults.BadRequest(request, "top must be a whole number", api.Value);
        }

        var (sort, category) = (request.Query["sort"].ToString(), request.Query["category"].ToString());
        if (request.Query["topic"].ToString() is { Length: > 0 } topic)
        {
            if (request.Query["q"].ToString().Length > 0 || sort.Length > 0 || category.Length > 0)
            {
                return ApiResults.BadRequest(request, "topic (authors by what they work on) cannot be combined with q, sort or category", api.Value);
            }

            var found = await topics.AuthorsByTopicAsync(topic, top, cancellationToken, ApiResults.ClientAddress(request));
            return found.Problem is { } problem ? ApiResults.Refusal(request, problem, found.RetryAfter, api.Value) : ApiResults.Json(request, found.Value, api.Value);
        }

        if (sort.Length > 0 || category.Length > 0)
        {
            return request.Query["q"].ToString().Length > 0
                ? ApiResults.BadRequest(request, "q (search by name) cannot be combined with sort or category (ranked lists)", api.Value)
                : await ListAsync(request, category, sort, top, cancellationToken);
        }

        var result = await profiles.FindAsync(request.Query["q"].ToString(), request.Query["cursor"].ToString(), top, cancellationToken);
        if (result.Problem is not null)
        {
            return ApiResults.BadRequest(request, result.Problem, api.Value);
        }

        return ApiResults.Json(request, new AuthorsPage<NamedAuthor>([.. result.Value!.Items.Select(NamedAuthor.From)], result.Value.Next), api.Value);
    }

    private async Task<IActionResult> ListAsync(HttpRequest request, string category, string sort, int? top, CancellationToken cancellationToken)
    {
        var result = await lists.ListAsync(category, sort, request.Query["cursor"].ToString(), top, cancellationToken);
        if (result.Problem is not null)
        {
            return ApiResults.BadRequest(request, result.Problem, api.Value);
        }

        return ApiResults.Json(request, new AuthorsPage<RankedAuthor>([.. result.Value!.Items.Select(RankedAuthor.From)], result.Value.Next), api.Value);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>
/// The HTML pages, outside <c>/api</c>: a profile, a paper, the author search. Server-rendered, no scripts; ETag/304
/// like the JSON. The JSON API stays under <c>/api</c> (host.json's route prefix is empty, each API route says <c>api/</c>).
/// </summary>
public sealed class PageFunctions(IPageService pages, IOptions<ApiOptions> api)
{
    /// <summary>GET /profiles/{authorId}?cursor=: the profile page, its papers paged with the API's cursors.</summary>
    [Function(nameof(ProfilePage))]
    public async Task<IActionResult> ProfilePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profiles/{authorId}")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken) =>
        ApiResults.Page(request, await pages.ProfileAsync(ApiResults.AuthorId(authorId), request.Query["cursor"].ToString(), ApiResults.BaseUrl(api.Value), cancellationToken), api.Value);

    /// <summary>GET /papers/{paperId}: the paper page with its abstract and both scores explained.</summary>
    [Function(nameof(PaperPage))]
    public async Task<IActionResult> PaperPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "papers/{*paperId}")] HttpRequest request,
        string paperId,
        CancellationToken cancellationToken) =>
        ApiResults.Page(request, await pages.PaperAsync(ApiResults.RouteValue(paperId ?? ""), cancellationToken), api.Value);

    /// <summary>GET /profiles?q=&amp;cursor=: the author search page.</summary>
    [Function(nameof(SearchPage))]
    public async Task<IActionResult> SearchPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profiles")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResults.Page(request, await pages.SearchAsync(request.Query["q"].ToString(), request.Query["cursor"].ToString(), cancellationToken), api.Value);
}

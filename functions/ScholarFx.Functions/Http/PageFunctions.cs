using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>
/// The HTML pages, outside <c>/api</c>: the home page, a profile, a paper, the author search, authors by topic, a
/// ranked list. Server-rendered, no scripts; ETag/304 like the JSON. The JSON API stays under <c>/api</c> (host.json's
/// route prefix is empty, each API route says <c>api/</c>).
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

    /// <summary>GET /profiles?q=&amp;cursor=: the author search page; with <c>topic</c>, the authors by topic.</summary>
    [Function(nameof(SearchPage))]
    public async Task<IActionResult> SearchPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profiles")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResults.Page(
            request,
            request.Query.ContainsKey("topic")
                ? await pages.TopicAsync(request.Query["topic"].ToString(), ApiResults.ClientAddress(request), cancellationToken)
                : await pages.SearchAsync(request.Query["q"].ToString(), request.Query["cursor"].ToString(), cancellationToken),
            api.Value);

    /// <summary>
    /// GET /: the home page. An empty route would mean the function's name, so the route is one optional segment that
    /// must be empty: it matches the root only, and never shadows another route.
    /// </summary>
    [Function(nameof(HomePage))]
    public async Task<IActionResult> HomePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HomeRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResults.Page(request, await pages.HomeAsync(cancellationToken), api.Value);

    /// <summary>GET /rankings?category=&amp;sort=&amp;cursor=: a ranked list of a category's (or every) profile.</summary>
    [Function(nameof(RankingPage))]
    public async Task<IActionResult> RankingPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rankings")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResults.Page(request, await pages.RankingAsync(request.Query["category"].ToString(), request.Query["sort"].ToString(), request.Query["cursor"].ToString(), cancellationToken), api.Value);

    /// <summary>The home page's route: the root path only.</summary>
    public const string HomeRoute = "{ignored:maxlength(0)?}";
}

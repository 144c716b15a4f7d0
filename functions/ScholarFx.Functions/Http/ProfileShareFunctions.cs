using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>What people embed and follow: a profile's badge and its Atom feed.</summary>
public sealed class ProfileShareFunctions(IPageService pages, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/profiles/{authorId}/badge.svg: name, h-index, Novelty % and AI score as an SVG badge.</summary>
    [Function(nameof(ProfileBadge))]
    public async Task<IActionResult> ProfileBadge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/profiles/{authorId}/badge.svg")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken)
    {
        var id = ApiResults.AuthorId(authorId);
        return await pages.BadgeAsync(id, cancellationToken) is { } badge
            ? ApiResults.Page(request, badge, api.Value)
            : ApiResults.NotFound(request, $"No author with id '{id}'.", api.Value);
    }

    /// <summary>GET /api/profiles/{authorId}/feed.atom: the author's newest papers as an Atom feed.</summary>
    [Function(nameof(ProfileFeed))]
    public async Task<IActionResult> ProfileFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/profiles/{authorId}/feed.atom")] HttpRequest request,
        string authorId,
        CancellationToken cancellationToken)
    {
        var id = ApiResults.AuthorId(authorId);
        return await pages.FeedAsync(id, ApiResults.BaseUrl(api.Value), cancellationToken) is { } feed
            ? ApiResults.Page(request, feed, api.Value)
            : ApiResults.NotFound(request, $"No author with id '{id}'.", api.Value);
    }
}

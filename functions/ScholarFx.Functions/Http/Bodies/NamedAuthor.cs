namespace ScholarFx.Functions.Http.Bodies;

/// <summary>An author whose name matches a query (<c>GET /api/profiles?q=</c>).</summary>
internal sealed record NamedAuthor(string Id, string Name, int PaperCount, string? PrimaryCategory, string Href)
{
    /// <summary>The hit of the name index with the route of the profile.</summary>
    public static NamedAuthor From(ScholarFx.Core.Storage.NameHit hit) =>
        new(hit.Id, hit.Name, hit.PaperCount, hit.PrimaryCategory, "/api/profiles/" + Uri.EscapeDataString(hit.Id));
}

namespace ScholarFx.Functions.Http.Bodies;

/// <summary>An author in a ranked list (<c>GET /api/profiles?sort=&amp;category=</c>) with the figure ranked by.</summary>
internal sealed record RankedAuthor(string Id, string Name, long Value, int PaperCount, string? PrimaryCategory, string Href)
{
    /// <summary>The ranking's entry with the route of the profile.</summary>
    public static RankedAuthor From(ScholarFx.Core.Storage.RankEntry entry) =>
        new(entry.AuthorId, entry.Name, entry.Value, entry.PaperCount, entry.PrimaryCategory, "/api/profiles/" + Uri.EscapeDataString(entry.AuthorId));
}

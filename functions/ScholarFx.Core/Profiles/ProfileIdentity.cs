namespace ScholarFx.Core.Profiles;

/// <summary>Who a profile is, as its papers say: the ORCID iD and the ids sources give the author.</summary>
public static class ProfileIdentity
{
    /// <summary>Most external ids listed.</summary>
    public const int MaxExternalIds = 20;

    /// <summary>The profile's ORCID iD: its id when the id is one (docs/identity.md), else the one its papers give most, else null.</summary>
    public static string? Orcid(string authorId, IReadOnlyCollection<AuthorPaper> rows) =>
        Papers.AuthorKey.IsOrcid(authorId)
            ? authorId
            : rows.Where(r => r.Orcid is not null).GroupBy(r => r.Orcid!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    /// <summary>The ORCID iDs the papers claim for the author that were not joined (docs/identity.md), most claimed first.</summary>
    public static IReadOnlyList<string> UnconfirmedOrcids(IReadOnlyCollection<AuthorPaper> rows) =>
        [.. rows.Where(r => r.UnconfirmedOrcid is not null).GroupBy(r => r.UnconfirmedOrcid!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).Take(MaxExternalIds)];

    /// <summary>The ORCID, then the sources' own ids of the author, most used first.</summary>
    public static IReadOnlyList<string> ExternalIds(string authorId, IReadOnlyCollection<AuthorPaper> rows)
    {
        var ids = rows.SelectMany(r => r.ExternalIds ?? [])
            .GroupBy(i => i, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key);
        return [.. (Orcid(authorId, rows) is { } orcid ? ids.Prepend("orcid:" + orcid) : ids).Take(MaxExternalIds)];
    }
}

using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>
/// Decides which profile each author of a paper belongs to (docs/identity.md), in this order: a curator's move of
/// this author of this paper; the ORCID iD a source gives; the ORCID iD a curator gave the name variant; the one ORCID
/// profile of the same name that shares a co-author with the paper; else the name's own profile. The result then
/// follows curators' merges.
/// </summary>
public sealed class IdentityResolver(IIdentityStore store)
{
    /// <summary>A lookup for one batch of papers.</summary>
    public IdentityLookup NewLookup() => new(store);

    /// <summary>The paper with each author's <see cref="PaperAuthor.Id"/> resolved.</summary>
    public async Task<Paper> ResolveAsync(Paper paper, IdentityLookup lookup, CancellationToken cancellationToken)
    {
        var names = paper.Authors.Select(a => a.NameKey).ToHashSet(StringComparer.Ordinal);
        var authors = new List<PaperAuthor>(paper.Authors.Count);
        foreach (var author in paper.Authors)
        {
            var id = paper.AuthorOverrides.FirstOrDefault(o => o.NameKey == author.NameKey)?.AuthorId
                ?? author.Orcid
                ?? await ByNameAsync(author.NameKey, names, lookup, cancellationToken).ConfigureAwait(false);
            id = await lookup.FollowAsync(id, cancellationToken).ConfigureAwait(false);
            authors.Add(author.Id == id ? author : author with { Id = id });
        }

        return authors.SequenceEqual(paper.Authors) ? paper : paper with { Authors = authors };
    }

    /// <summary>
    /// Records the ORCID iDs the paper gives, each with the paper's other authors; returns the name keys whose record
    /// grew, whose own profiles may hold papers that now belong to an ORCID profile.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegisterAsync(Paper paper, CancellationToken cancellationToken)
    {
        var grown = new List<string>();
        foreach (var author in paper.Authors.Where(a => a.Orcid is not null).DistinctBy(a => (a.NameKey, a.Orcid)))
        {
            var coAuthors = paper.Authors.Select(a => a.NameKey).Where(k => k != author.NameKey).Distinct(StringComparer.Ordinal).ToList();
            if (await store.LinkOrcidAsync(author.NameKey, author.Orcid!, coAuthors, cancellationToken).ConfigureAwait(false))
            {
                grown.Add(author.NameKey);
            }
        }

        return grown;
    }

    private static async Task<string> ByNameAsync(string nameKey, IReadOnlySet<string> paperNames, IdentityLookup lookup, CancellationToken cancellationToken)
    {
        var known = await lookup.GetAsync(nameKey, cancellationToken).ConfigureAwait(false);
        if (known.CuratedOrcid is { } curated)
        {
            return curated;
        }

        // The ORCID profiles of this name that share a co-author with this paper: exactly one is this person; none or
        // several (two people of one name who worked with the same colleague) leave the paper with the name's profile.
        var sharing = known.Orcids.Where(o => o.Value.Any(k => k != nameKey && paperNames.Contains(k))).Select(o => o.Key).Take(2).ToList();
        return sharing.Count == 1 ? sharing[0] : nameKey;
    }
}

using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>
/// Decides which profile each author of a paper belongs to (docs/identity.md), in this order: a curator's move of
/// this author of this paper; the ORCID iD a source gives, when the name may claim it (it shares a family name with a
/// name known for that ORCID iD, or a curator confirmed it); the ORCID iD a curator gave the name variant; the one ORCID
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
            var unconfirmed = false;
            if (paper.AuthorOverrides.FirstOrDefault(o => o.NameKey == author.NameKey)?.AuthorId is not { } id)
            {
                // An ORCID iD claimed for a name it does not fit stays a claim: the paper keeps the name's profile.
                unconfirmed = author.Orcid is { } claimed && !await MayClaimAsync(author.NameKey, claimed, lookup, cancellationToken).ConfigureAwait(false);
                id = author.Orcid is { } orcid && !unconfirmed ? orcid : await ByNameAsync(author.NameKey, names, lookup, cancellationToken).ConfigureAwait(false);
            }

            id = await lookup.FollowAsync(id, cancellationToken).ConfigureAwait(false);
            authors.Add(author.Id == id && author.OrcidUnconfirmed == unconfirmed ? author : author with { Id = id, OrcidUnconfirmed = unconfirmed });
        }

        return authors.SequenceEqual(paper.Authors) ? paper : paper with { Authors = authors };
    }

    /// <summary>
    /// Records the ORCID iDs the paper gives, each with the paper's other authors; returns the name keys whose record
    /// grew, whose own profiles may hold papers that now belong to an ORCID profile, and what was new (a name joined to
    /// an ORCID iD, a claim left unconfirmed). An unconfirmed claim is recorded as a claim only: it never joins the
    /// name's co-author matching. <paramref name="lookup"/>: what the batch read, so a name already joined costs nothing.
    /// </summary>
    public async Task<(IReadOnlyList<string> Grown, IReadOnlyList<OrcidNews> News)> RegisterAsync(Paper paper, IdentityLookup? lookup, CancellationToken cancellationToken)
    {
        var grown = new List<string>();
        var news = new List<OrcidNews>();
        foreach (var author in paper.Authors.Where(a => a.Orcid is not null).DistinctBy(a => (a.NameKey, a.Orcid)))
        {
            var orcid = author.Orcid!;
            if (author.OrcidUnconfirmed)
            {
                if (await store.AddClaimAsync(orcid, author.NameKey, paper.Id, cancellationToken).ConfigureAwait(false))
                {
                    news.Add(new OrcidNews(paper.Id, author.NameKey, orcid, author.Id, Unconfirmed: true));
                }

                continue;
            }

            var coAuthors = paper.Authors.Select(a => a.NameKey).Where(k => k != author.NameKey).Distinct(StringComparer.Ordinal).ToList();
            if (await store.LinkOrcidAsync(author.NameKey, orcid, coAuthors, cancellationToken).ConfigureAwait(false))
            {
                grown.Add(author.NameKey);
            }

            var joined = lookup is not null && (await lookup.GetAsync(IdentityStore.NamesKey(orcid), cancellationToken).ConfigureAwait(false)).Names.Contains(author.NameKey);
            if (!joined && await store.AddOrcidNameAsync(orcid, author.NameKey, cancellationToken).ConfigureAwait(false))
            {
                news.Add(new OrcidNews(paper.Id, author.NameKey, orcid, author.Id, Unconfirmed: false));
            }
        }

        return (grown, news);
    }

    /// <summary>
    /// Whether a record may put the name <paramref name="nameKey"/> in the profile of <paramref name="orcid"/>: the
    /// first name seen with it, a name joined to it before, one sharing a family name with a joined name ("Amrit S.
    /// Bedi" and "Amrit Singh Bedi"), or a name a curator tied to it (a <c>variant</c>). Anything else is a claim a
    /// curator must confirm, so a record cannot move a paper into someone else's profile by naming their ORCID iD.
    /// </summary>
    private static async Task<bool> MayClaimAsync(string nameKey, string orcid, IdentityLookup lookup, CancellationToken cancellationToken)
    {
        var names = (await lookup.GetAsync(IdentityStore.NamesKey(orcid), cancellationToken).ConfigureAwait(false)).Names;
        var family = AuthorKey.FamilyName(nameKey);
        return names.Count == 0 || names.Contains(nameKey) || names.Any(n => AuthorKey.FamilyName(n) == family)
            || (await lookup.GetAsync(nameKey, cancellationToken).ConfigureAwait(false)).CuratedOrcid == orcid;
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

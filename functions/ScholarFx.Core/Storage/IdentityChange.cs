namespace ScholarFx.Core.Storage;

/// <summary>
/// One entry of the identity history (docs/identity.md#audit-trail): a change of who a researcher is, with where it came
/// from, when, and what it changed. The same entry is kept in the history of every profile it concerns.
/// </summary>
public sealed record IdentityChange
{
    /// <summary>A curator merged ids into a profile; <see cref="Before"/>/<see cref="After"/>: each merged id → the profile it led to.</summary>
    public const string Merge = "merge";
    /// <summary>A curator moved an author of papers; each "paper|name key" → the curator's profile for it (null: none).</summary>
    public const string Move = "move";
    /// <summary>A curator gave a name variant an ORCID iD; the name key → its curated ORCID iD.</summary>
    public const string Variant = "variant";
    /// <summary>A curator confirmed an ORCID iD claimed for a name; the name key → the ORCID iD it is joined to.</summary>
    public const string Confirm = "confirm";
    /// <summary>A record joined a name to an ORCID iD for the first time; the name key → the ORCID iD.</summary>
    public const string OrcidLink = "orcid-link";
    /// <summary>A record claimed an ORCID iD for a name sharing no family name with it: not joined, shown unconfirmed.</summary>
    public const string OrcidClaimUnconfirmed = "orcid-claim-unconfirmed";
    /// <summary>Papers moved to an ORCID profile by the co-author rule once a record linked the ORCID; each paper → its profile.</summary>
    public const string CoAuthorMove = "co-author-move";
    /// <summary>A curator reverted an earlier correction (<see cref="RevertOf"/>); before and after are the reverted entry's swapped.</summary>
    public const string Revert = "revert";

    /// <summary>The entry's id (see <see cref="IdentityHistoryStore"/>); given when it is appended.</summary>
    public string Id { get; init; } = "";
    public required string Kind { get; init; }
    public required DateTimeOffset Time { get; init; }
    /// <summary>Where the change came from: a curations file and the correction's place in it, or an ingested file and the record's line.</summary>
    public required string Source { get; init; }
    /// <summary>Who asked for it: the curator's name; null for a change made by ingest.</summary>
    public string? Curator { get; init; }
    /// <summary>The profiles whose history holds the entry.</summary>
    public required IReadOnlyList<string> Profiles { get; init; }
    /// <summary>The name (key) the change is about, when it is about one.</summary>
    public string? Name { get; init; }
    /// <summary>The ORCID iD the change is about, when it is about one.</summary>
    public string? Orcid { get; init; }
    /// <summary>What the change replaced, by what it set (see each kind).</summary>
    public IReadOnlyDictionary<string, string?> Before { get; init; } = new Dictionary<string, string?>();
    /// <summary>What the change set.</summary>
    public IReadOnlyDictionary<string, string?> After { get; init; } = new Dictionary<string, string?>();
    /// <summary>Papers that changed profile (the first <see cref="IdentityHistoryStore.MaxPapers"/>).</summary>
    public IReadOnlyList<string> Papers { get; init; } = [];
    /// <summary>How many papers changed profile.</summary>
    public int PapersMoved { get; init; }
    /// <summary>For a revert: the entry it reverted.</summary>
    public string? RevertOf { get; init; }
    /// <summary>The revert that undid this entry, once one did.</summary>
    public string? RevertedBy { get; init; }

    /// <summary>A curator's correction not reverted yet: <c>POST /api/admin/identity/revert</c> takes it.</summary>
    public bool Revertible => Kind is Merge or Move or Variant or Confirm && RevertedBy is null;
}

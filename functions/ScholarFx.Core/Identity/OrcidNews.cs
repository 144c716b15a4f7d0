namespace ScholarFx.Core.Identity;

/// <summary>
/// What a paper's ORCID iD told identity resolution for the first time: a name joined to the ORCID iD, or (when
/// <paramref name="Unconfirmed"/>) a claim of the ORCID iD for a name that shares no family name with it, left with the
/// name's profile <paramref name="ProfileId"/>. Each is an entry of the identity history.
/// </summary>
public sealed record OrcidNews(string PaperId, string NameKey, string Orcid, string ProfileId, bool Unconfirmed);

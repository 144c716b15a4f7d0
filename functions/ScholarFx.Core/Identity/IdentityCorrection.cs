namespace ScholarFx.Core.Identity;

/// <summary>One curator's correction of author identity, from a corrections file (docs/identity.md).</summary>
/// <param name="Location">"correction 3": where in the file, for the receipt.</param>
public abstract record IdentityCorrection(string Location);

/// <summary>"These author ids are one person": each of <paramref name="From"/> resolves to <paramref name="Into"/> from now on.</summary>
public sealed record MergeCorrection(string Location, IReadOnlyList<string> From, string Into) : IdentityCorrection(Location);

/// <summary>"On these papers, the author <paramref name="From"/> is <paramref name="To"/>" (a profile id, new or known).</summary>
public sealed record MoveCorrection(string Location, IReadOnlyList<string> Papers, string From, string To) : IdentityCorrection(Location);

/// <summary>"This name variant belongs to that ORCID iD": papers giving the name without an ORCID go to the ORCID's profile.</summary>
public sealed record VariantCorrection(string Location, string Name, string Orcid) : IdentityCorrection(Location);

/// <summary>
/// "This name may claim that ORCID iD": a record's claim of <paramref name="Orcid"/> for <paramref name="Name"/>, left
/// unconfirmed because the name shares no family name with the ORCID's known names, is joined from now on.
/// </summary>
public sealed record ConfirmCorrection(string Location, string Name, string Orcid) : IdentityCorrection(Location);

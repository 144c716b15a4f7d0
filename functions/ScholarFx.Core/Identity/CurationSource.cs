namespace ScholarFx.Core.Identity;

/// <summary>Where corrections came from, for the identity history: the kept file (or request) and the curator who sent it.</summary>
public sealed record CurationSource(string File, string Curator)
{
    /// <summary>Corrections applied without a file (a test, a tool): still in the history, as such.</summary>
    public static CurationSource Direct { get; } = new("direct", "admin");
}

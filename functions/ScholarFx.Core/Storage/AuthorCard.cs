namespace ScholarFx.Core.Storage;

/// <summary>
/// An author's card: the rendered profile on the first line, the ledger after it, compressed together into the
/// aggregate row's <c>Card</c> properties. Compact JSON holds no line break (one inside a string is escaped), so the
/// first line is the profile whole, and a reader of the profile alone stops decompressing there.
/// </summary>
internal static class AuthorCard
{
    /// <summary>The card's text; null for a profile with a line break (not compact JSON), which is then kept apart.</summary>
    public static string? Join(string profileJson, string ledgerJson) =>
        profileJson.Contains('\n', StringComparison.Ordinal) ? null : profileJson + "\n" + ledgerJson;

    /// <summary>The ledger's JSON: the text after the first line.</summary>
    public static string Ledger(string card)
    {
        var end = card.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? "" : card[(end + 1)..];
    }
}

using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Text longer than one table property holds (32K characters), kept across properties <c>{prefix}0</c>,
/// <c>{prefix}1</c>, …: the rendered profile and ledger of an author, the ORCIDs of a name.
/// </summary>
public static class TableChunks
{
    /// <summary>Characters per property (under the 32K a string property holds).</summary>
    public const int Chars = 30_000;

    /// <summary>
    /// Writes <paramref name="text"/> into the properties of <paramref name="entity"/> and empties the rest up to
    /// <paramref name="maxChunks"/> (an entity read back and written again keeps no stale tail); returns how many hold text.
    /// </summary>
    public static int Write(TableEntity entity, string prefix, string text, int maxChunks)
    {
        var count = (text.Length + Chars - 1) / Chars;
        if (count > maxChunks)
        {
            throw new ArgumentException($"{text.Length} characters do not fit {maxChunks} properties '{prefix}'.", nameof(text));
        }

        for (var i = 0; i < maxChunks; i++)
        {
            entity[prefix + i] = i < count ? text.Substring(i * Chars, Math.Min(Chars, text.Length - (i * Chars))) : null;
        }

        return count;
    }

    /// <summary>The text of the properties <c>{prefix}0</c> on, up to the first missing one or <paramref name="maxChunks"/>.</summary>
    public static string Read(TableEntity entity, string prefix, int maxChunks) =>
        string.Concat(Enumerable.Range(0, maxChunks).Select(i => entity.GetString(prefix + i)).TakeWhile(c => c is not null));

    /// <summary>Whether text of this length fits <paramref name="maxChunks"/> properties.</summary>
    public static bool Fits(string text, int maxChunks) => text.Length <= Chars * maxChunks;
}

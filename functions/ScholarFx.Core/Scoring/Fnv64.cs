namespace ScholarFx.Core.Scoring;

/// <summary>
/// A 64-bit FNV-1a hash built up from values: the same on every instance and process (unlike
/// <see cref="string.GetHashCode()"/>). Used for the same-work keys and for settling's record of the inputs it last
/// scored a paper from.
/// </summary>
public struct Fnv64
{
    private const ulong Prime = 1099511628211UL;
    private ulong hash;

    public Fnv64() => hash = 14695981039346656037UL;

    /// <summary>The hash so far.</summary>
    public readonly ulong Value => hash;

    /// <summary>The hash of one string.</summary>
    public static ulong Of(string text) => new Fnv64().Add(text).Value;

    public Fnv64 Add(string? text)
    {
        if (text is null)
        {
            return Add(ulong.MaxValue);
        }

        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return Add((ulong)text.Length);
    }

    public Fnv64 Add(double? value) => Add(value is { } v ? (ulong)BitConverter.DoubleToInt64Bits(v) : ulong.MaxValue - 1);

    public Fnv64 Add(ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * Prime;
        }

        return this;
    }
}

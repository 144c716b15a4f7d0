using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Table keys. <c>/ \ # ?</c>, control characters and <c>%</c> are percent-escaped, so any id is a
/// legal PartitionKey/RowKey and escaping is reversible. Keys past the service's 1 KiB limit are
/// shortened with a hash (the entity always stores the original id as a property).
/// </summary>
public static class TableKey
{
    private const int MaxKeyChars = 480;

    /// <summary>A legal key for <paramref name="value"/>.</summary>
    public static string Escape(string value)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (NeedsEscape(c))
            {
                builder ??= new StringBuilder(value, 0, i, value.Length + 16);
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder?.Append(c);
            }
        }

        var escaped = builder?.ToString() ?? value;
        if (escaped.Length <= MaxKeyChars)
        {
            return escaped;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
        var cut = MaxKeyChars - 33;
        if (char.IsHighSurrogate(escaped[cut - 1]))
        {
            // Never split a surrogate pair: half a character is invalid UTF-16 and the service rejects it.
            cut--;
        }

        return escaped[..cut] + "~" + hash;
    }

    /// <summary>The value an <see cref="Escape"/>d key came from (for keys that were not shortened).</summary>
    public static string Unescape(string key)
    {
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length &&
                int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>A spread partition for a point-read table: the first two hex digits of SHA-256 of the id (256 partitions).</summary>
    public static string HashPartition(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 1));

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>.</summary>
    public static string PrefixUpperBound(string prefix) =>
        prefix.Length == 0 ? "\uFFFF" : prefix[..^1] + (char)(prefix[^1] + 1);

    private static bool NeedsEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}

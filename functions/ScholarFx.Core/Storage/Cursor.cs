using System.Buffers.Text;
using System.Text;

namespace ScholarFx.Core.Storage;

/// <summary>Opaque paging cursors: a table continuation token, base64url-encoded.</summary>
public static class Cursor
{
    /// <summary>The cursor for a continuation token, or null at the end.</summary>
    public static string? Encode(string? continuationToken) =>
        string.IsNullOrEmpty(continuationToken) ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuationToken));

    /// <summary>The continuation token in a cursor; false when the cursor is not one ScholarFx issued.</summary>
    public static bool TryDecode(string? cursor, out string? continuationToken)
    {
        continuationToken = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (cursor.Length > 4096 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        continuationToken = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        return continuationToken.Length > 0;
    }
}

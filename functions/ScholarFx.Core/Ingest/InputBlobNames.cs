namespace ScholarFx.Core.Ingest;

/// <summary>
/// What a caller may name as an input file (a receipt id is the file's blob name in <c>abstracts</c>). The Blob SDK
/// resolves <c>..</c> segments into the account's other containers, so a name that could leave <c>abstracts</c> is
/// refused before any client is built for it.
/// </summary>
public static class InputBlobNames
{
    /// <summary>The longest blob name Azure Storage accepts.</summary>
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="name"/> cannot be an input file's name, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "a receipt id is the input file's name in the abstracts container";
        }

        if (name.Length > MaxLength)
        {
            return $"an input file's name has at most {MaxLength} characters";
        }

        if (name[0] == '/' || name.Contains('\\', StringComparison.Ordinal))
        {
            return "an input file's name does not start with '/' or contain '\\'";
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "an input file's name has no empty, '.' or '..' segments";
            }
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var lonely = char.IsHighSurrogate(c) ? i + 1 >= name.Length || !char.IsLowSurrogate(name[++i]) : char.IsLowSurrogate(c);
            if (char.IsControl(c) || lonely || c is '\uFFFE' or '\uFFFF')
            {
                return "an input file's name holds a control character or an invalid code point";
            }
        }

        return null;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace ScholarFx.Tests.Unit;

/// <summary>
/// Test text written with <c>\uXXXX</c> escapes decoded here: a lone surrogate cannot sit in a test's inline data
/// (the test runner's protocol would carry it as invalid UTF-16), so cases name it this way.
/// </summary>
internal static partial class Escaped
{
    public static string Decode(string text) =>
        Unit().Replace(text, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex Unit();
}

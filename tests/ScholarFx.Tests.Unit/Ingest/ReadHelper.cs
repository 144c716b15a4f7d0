using System.Text;
using ScholarFx.Core.Ingest;

namespace ScholarFx.Tests.Unit.Ingest;

internal static class ReadHelper
{
    public static MemoryStream Utf8(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new MemoryStream(bom ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes);
    }

    public static async Task<List<ReadItem>> ReadAllAsync(IRecordFormat format, Stream content)
    {
        var items = new List<ReadItem>();
        await foreach (var item in format.ReadAsync(content, CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    public static string Paper(string title, string extra = "") =>
        $$"""{"title":"{{title}}","abstract":"About {{title}}.","authors":["Boyu Shi"],"categories":["cs.LG"],"published":"2024-03-01"{{extra}}}""";
}

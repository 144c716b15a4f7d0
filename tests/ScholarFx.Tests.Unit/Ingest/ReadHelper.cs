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

    /// <summary>A file of the repository's samples/ folder, opened for reading.</summary>
    public static FileStream Sample(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ScholarFx.sln")))
        {
            directory = directory.Parent;
        }

        return File.OpenRead(Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("repository root"), "samples", fileName));
    }

    public static async Task<List<SourceRecord>> ReadRecordsAsync(IRecordFormat format, Stream content)
    {
        var items = await ReadAllAsync(format, content);
        Assert.All(items, i => Assert.Null(i.Error));
        return [.. items.Select(i => i.Record!)];
    }

    /// <summary>The good records came through in order around the one bad record, whose error names its place and problem.</summary>
    public static void AssertOneBadAmongGood(List<ReadItem> items, string?[] titles, string location, string problem)
    {
        Assert.Equal(titles, items.Select(i => i.Record?.Title));
        var bad = Assert.Single(items, i => i.Error is not null).Error!;
        Assert.Equal(location, bad.Location);
        Assert.Contains(problem, bad.Message, StringComparison.Ordinal);
    }

    public static string Paper(string title, string extra = "") =>
        $$"""{"title":"{{title}}","abstract":"About {{title}}.","authors":["Boyu Shi"],"categories":["cs.LG"],"published":"2024-03-01"{{extra}}}""";
}

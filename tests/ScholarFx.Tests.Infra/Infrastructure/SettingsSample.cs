using System.Text.Json;

namespace ScholarFx.Tests.Infra.Infrastructure;

/// <summary>local.settings.sample.json, the document of every app setting.</summary>
public static class SettingsSample
{
    public static IReadOnlyDictionary<string, string> Values { get; } = Load();

    private static Dictionary<string, string> Load()
    {
        using var document = JsonDocument.Parse(
            Repository.Read("local.settings.sample.json"),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}

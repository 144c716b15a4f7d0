using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScholarFx.Core;

/// <summary>JSON settings of every ScholarFx document: camelCase, nulls written (a null score is information).</summary>
public static class ScholarFxJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Names and titles in every script stay readable in stored and served JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

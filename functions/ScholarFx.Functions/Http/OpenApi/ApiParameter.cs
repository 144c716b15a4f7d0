using Microsoft.OpenApi;

namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>A query parameter of a route: its name, what it means, and its type and bounds as a schema.</summary>
internal sealed record ApiParameter(string Name, string Description, OpenApiSchema Schema, bool Required = false)
{
    /// <summary>A free-text or opaque string, at most <paramref name="maxLength"/> characters when given.</summary>
    public static ApiParameter Text(string name, string description, int? maxLength = null, bool required = false) =>
        new(name, description, new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength }, required);

    /// <summary>The page size <c>top</c>: a whole number from 1 to <paramref name="max"/>, <paramref name="byDefault"/> when absent.</summary>
    public static ApiParameter Top(int byDefault, string? description = null, int max = 100) =>
        new("top", description ?? $"How many to answer, 1–{max} (default {byDefault}).", new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = byDefault,
        });

    /// <summary>The opaque cursor of a page, copied from the previous page's <c>next</c> link.</summary>
    public static ApiParameter Cursor { get; } = Text("cursor", "The opaque cursor of the next page, as the previous page's next link gives it.");
}

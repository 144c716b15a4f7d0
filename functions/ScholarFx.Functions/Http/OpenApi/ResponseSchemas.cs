using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ScholarFx.Core;

namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>
/// JSON Schemas of response bodies, generated from the C# types they are serialised from with the serializer's own
/// settings (<see cref="ScholarFxJson.Options"/>: camelCase, nulls written), so the description cannot drift from
/// what is served; read into the OpenAPI model as OpenAPI 3.1 schemas (JSON Schema 2020-12).
/// </summary>
internal static class ResponseSchemas
{
    // As served; numbers are described as written (Web defaults also accept numbers in strings when reading).
    private static readonly JsonSerializerOptions Options = ReadOnly(new JsonSerializerOptions(ScholarFxJson.Options) { NumberHandling = JsonNumberHandling.Strict });

    private static readonly JsonSchemaExporterOptions Read = new() { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = (context, node) => Inline(context, node, Read!) };

    // What the serializer writes: every property of an object, except those it leaves out when null or default.
    private static readonly JsonSchemaExporterOptions Written = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, node) => RequireWrittenProperties(context, Inline(context, node, Written!)),
    };

    // How deep inlined schemas nest: only a type that contains itself goes deeper.
    [ThreadStatic]
    private static int inlined;

    /// <summary>The component name of a type: its name, with its type arguments for a generic one (AuthorsPageOfNamedAuthor).</summary>
    public static string Name(Type type) =>
        type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(Name))
            : type.Name;

    /// <summary>
    /// The schema of the JSON a value of <paramref name="type"/> serialises to (<paramref name="written"/>: every property
    /// the serializer always writes is required) or is read from (only what reading requires is).
    /// </summary>
    public static OpenApiSchema Of(Type type, OpenApiDocument document, bool written = true)
    {
        var node = JsonSchemaExporter.GetJsonSchemaAsNode(Options, type, written ? Written : Read);
        var schema = new OpenApiJsonReader().ReadFragment<OpenApiSchema>(node, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic);
        return schema is not null && diagnostic.Errors.Count == 0
            ? schema
            : throw new InvalidOperationException($"The schema of {type} does not read as an OpenAPI 3.1 schema: {string.Join("; ", diagnostic.Errors.Select(e => e.Message))}");
    }

    /// <summary>RFC 7807 problem JSON as <see cref="ApiResults.Problem"/> and the unexpected-failure answer write it.</summary>
    public static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details. instance is the path without the query; a 500 adds a correlationId to quote.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "type", "title", "status", "detail" },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    // The exporter writes a type met again as a $ref to where it first wrote it, a pointer from its own root that
    // means nothing inside the OpenAPI document (and is wrong for lists met again): the type is written out again instead.
    private static JsonNode Inline(JsonSchemaExporterContext context, JsonNode node, JsonSchemaExporterOptions options)
    {
        if (node is not JsonObject schema || !schema.ContainsKey("$ref"))
        {
            return node;
        }

        if (++inlined > 32)
        {
            inlined = 0;
            throw new InvalidOperationException($"{context.TypeInfo.Type} contains itself: its schema cannot be written out.");
        }

        try
        {
            var again = JsonSchemaExporter.GetJsonSchemaAsNode(Options, context.TypeInfo.Type, options);
            if (context.PropertyInfo is { IsGetNullable: true } && again is JsonObject { } written && written["type"] is JsonValue single)
            {
                written["type"] = new JsonArray(JsonValue.Create(single.GetValue<string>()), JsonValue.Create("null"));
            }

            return again;
        }
        finally
        {
            inlined--;
        }
    }

    private static JsonNode RequireWrittenProperties(JsonSchemaExporterContext context, JsonNode node)
    {
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node is JsonObject { } schema && schema["properties"] is JsonObject)
        {
            schema["required"] = new JsonArray([.. context.TypeInfo.Properties.Where(AlwaysWritten).Select(p => (JsonNode)JsonValue.Create(p.Name))]);
        }

        return node;
    }

    // ScholarFxJson writes nulls (DefaultIgnoreCondition.Never): a property is left out only by its own [JsonIgnore(Condition = …)].
    private static bool AlwaysWritten(JsonPropertyInfo property) =>
        property.Get is not null
        && property.ShouldSerialize is null
        && property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true).OfType<JsonIgnoreAttribute>().Any(a => a.Condition != JsonIgnoreCondition.Never) != true;

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

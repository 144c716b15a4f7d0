using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScholarFx.Tests.Infra.Infrastructure;

/// <summary>A resource a template declares (not an <c>existing</c> reference).</summary>
public sealed record ArmResource(string Type, JsonElement Body, ArmTemplate Template)
{
    public JsonElement Properties => Body.GetProperty("properties");
}

/// <summary>
/// A compiled ARM template, or a module's nested template with the deployment that passes its parameters. Evaluates
/// the few expressions a static check needs — literals, <c>parameters('x')</c>, <c>variables('x')</c>,
/// <c>string(...)</c> — back through the modules to main.bicep's defaults; anything else is a runtime value (null).
/// </summary>
public sealed partial class ArmTemplate
{
    private readonly JsonElement deployment;

    private ArmTemplate(JsonElement template, ArmTemplate? parent, JsonElement deployment)
    {
        Json = template;
        Parent = parent;
        this.deployment = deployment;
    }

    public JsonElement Json { get; }

    public ArmTemplate? Parent { get; }

    /// <summary>The module's deployment name; "main" for main.bicep.</summary>
    public string Name => Parent is null ? "main" : deployment.GetProperty("name").GetString()!;

    /// <summary>The module deployment that holds this template (for main.bicep, undefined).</summary>
    public JsonElement Deployment => Parent is null ? throw new InvalidOperationException("main.bicep is not a module") : deployment;

    public static ArmTemplate Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new ArmTemplate(document.RootElement.Clone(), null, default);
    }

    /// <summary>Resources declared here, modules' resources not included (a module is a Microsoft.Resources/deployments).</summary>
    public IEnumerable<ArmResource> Resources
    {
        get
        {
            var resources = Json.GetProperty("resources");
            // languageVersion 2.0 templates (user-defined types, typed arrays) key resources by symbolic name.
            var items = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
            return items
                .Where(r => !(r.TryGetProperty("existing", out var existing) && existing.GetBoolean()))
                .Select(r => new ArmResource(r.GetProperty("type").GetString()!, r, this))
                .ToList();
        }
    }

    /// <summary>Every module (nested deployment) declared here, by deployment name.</summary>
    public IReadOnlyDictionary<string, ArmTemplate> Modules =>
        Resources.Where(r => r.Type == "Microsoft.Resources/deployments")
            .ToDictionary(r => r.Body.GetProperty("name").GetString()!, r => new ArmTemplate(r.Properties.GetProperty("template"), this, r.Body));

    /// <summary>Resources of this template and of all its modules.</summary>
    public IEnumerable<ArmResource> AllResources => Resources.Concat(Modules.Values.SelectMany(m => m.AllResources));

    public ArmTemplate Module(string name) => Modules.TryGetValue(name, out var module)
        ? module
        : throw new KeyNotFoundException($"No module deployment named '{name}' (have: {string.Join(", ", Modules.Keys)})");

    /// <summary>The single resource of a type declared in this template.</summary>
    public ArmResource Resource(string type) => Resources.Single(r => r.Type == type);

    /// <summary>The value an expression or literal has before deployment, or null when only Azure knows it.</summary>
    public JsonNode? Evaluate(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when IsExpression(value.GetString()!) => EvaluateExpression(value.GetString()![1..^1]),
        JsonValueKind.Array => new JsonArray([.. value.EnumerateArray().Select(Evaluate)]),
        _ => JsonNode.Parse(value.GetRawText()),
    };

    /// <summary>The value of a literal or an expression written as a template string.</summary>
    public JsonNode? Evaluate(string literalOrExpression) => Evaluate(JsonSerializer.SerializeToElement(literalOrExpression));

    /// <summary>The value of a parameter of this template: passed by the parent module, else its default.</summary>
    public JsonNode? ParameterValue(string name)
    {
        if (Parent is not null && deployment.GetProperty("properties").GetProperty("parameters").TryGetProperty(name, out var passed))
        {
            // A parameter passed as a whole expression (if(...)) is decided at deployment time.
            return passed.ValueKind == JsonValueKind.Object && passed.TryGetProperty("value", out var value) ? Parent.Evaluate(value) : null;
        }

        return Json.GetProperty("parameters").GetProperty(name).TryGetProperty("defaultValue", out var defaultValue) ? Evaluate(defaultValue) : null;
    }

    /// <summary>What the parent passes for a parameter, as written in the parent (expression or literal).</summary>
    public string PassedValue(string name) =>
        Deployment.GetProperty("properties").GetProperty("parameters").GetProperty(name) is var passed
        && passed.ValueKind == JsonValueKind.Object && passed.TryGetProperty("value", out var value)
            ? value.GetRawText()
            : passed.GetRawText();

    private JsonNode? EvaluateExpression(string expression)
    {
        if (ParametersCall().Match(expression) is { Success: true } parameter)
        {
            return ParameterValue(parameter.Groups[1].Value);
        }

        if (VariablesCall().Match(expression) is { Success: true } variable)
        {
            return Evaluate(Json.GetProperty("variables").GetProperty(variable.Groups[1].Value));
        }

        if (StringCall().Match(expression) is { Success: true } call)
        {
            return EvaluateExpression(call.Groups[1].Value) is JsonValue inner ? JsonValue.Create(inner.ToString()) : null;
        }

        return null;
    }

    // "[[" escapes a literal string that starts with "[".
    private static bool IsExpression(string text) => text.StartsWith('[') && text.EndsWith(']') && !text.StartsWith("[[", StringComparison.Ordinal);

    [GeneratedRegex(@"^parameters\('([^']+)'\)$")]
    private static partial Regex ParametersCall();

    [GeneratedRegex(@"^variables\('([^']+)'\)$")]
    private static partial Regex VariablesCall();

    [GeneratedRegex(@"^string\((.+)\)$")]
    private static partial Regex StringCall();
}

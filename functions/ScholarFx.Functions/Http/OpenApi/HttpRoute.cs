using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>
/// An HTTP-triggered function as its attributes declare it (the attributes the Functions SDK writes
/// functions.metadata from): its name, route template, methods and authorization level.
/// </summary>
internal sealed partial record HttpRoute(string Function, string Template, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel)
{
    /// <summary>
    /// The route as an OpenAPI path: host.json's route prefix is empty, so the template is the path from the root;
    /// a catch-all, a constraint or an optional mark leaves the parameter's name alone (<c>{*paperId}</c> → <c>{paperId}</c>).
    /// The home page's route (<see cref="PageFunctions.HomeRoute"/>) is one optional segment that must be empty: the root.
    /// </summary>
    public string Path => Template == PageFunctions.HomeRoute ? "/" : "/" + RouteParameter().Replace(Template.TrimStart('/'), "{${name}}");

    /// <summary>The names of the route's parameters, in order (none for the root).</summary>
    public IReadOnlyList<string> PathParameters =>
        Template == PageFunctions.HomeRoute ? [] : [.. RouteParameter().Matches(Template).Select(m => m.Groups["name"].Value)];

    /// <summary>Every HTTP-triggered <c>[Function]</c> method of the assembly, by function name.</summary>
    public static IReadOnlyList<HttpRoute> Discover(Assembly assembly) =>
        [.. from type in assembly.GetExportedTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            from parameter in method.GetParameters()
            let http = parameter.GetCustomAttribute<HttpTriggerAttribute>()
            where http is not null
            orderby function.Name
            select new HttpRoute(
                function.Name,
                http.Route ?? function.Name,
                [.. (http.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
                http.AuthLevel)];

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using ScholarFx.Functions.Http;

namespace ScholarFx.LocalHost;

/// <summary>
/// Maps each HTTP-triggered function to its route under host.json's route prefix (<c>extensions.http.routePrefix</c>,
/// <c>api</c> when absent, as the Functions host reads it), with the methods its attribute declares.
/// </summary>
public static class HttpFunctionEndpoints
{
    /// <summary>The Functions host's route prefix when host.json names none.</summary>
    public const string DefaultRoutePrefix = "api";

    /// <summary>The route prefix host.json at the repository root sets (empty: routes from the root).</summary>
    public static string RoutePrefix(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "host.json");
        if (!File.Exists(path))
        {
            return DefaultRoutePrefix;
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
        return json.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out var prefix)
            ? (prefix.GetString() ?? "").Trim('/')
            : DefaultRoutePrefix;
    }

    /// <summary>Maps the routes, each behind the key its authorization level asks for; returns them for the start-up log.</summary>
    public static IReadOnlyList<string> Map(IEndpointRouteBuilder endpoints, IEnumerable<FunctionDescriptor> functions, FunctionKeys keys, string routePrefix)
    {
        var mapped = new List<string>();
        foreach (var function in functions.Where(f => f.Http is not null))
        {
            var http = function.Http!;
            var route = "/" + (routePrefix.Length == 0 ? "" : routePrefix + "/") + (http.Route ?? function.Name).TrimStart('/');
            var methods = (http.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray();
            endpoints.MapMethods(route, methods, async context =>
            {
                if (!keys.Allows(http.AuthLevel, context.Request))
                {
                    // As the Functions host answers: 401 with no body, whatever the key was.
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                var values = context.GetRouteData().Values.ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase);
                object? result;
                try
                {
                    result = await FunctionCatalog.InvokeAsync(function, context.RequestServices, context.Request, values, context.RequestAborted);
                }
                catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
                {
                    // As the function app's worker middleware answers (HttpEnvelopeMiddleware).
                    var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpFunctionEndpoints));
                    if (!await ResponseDefences.TryAnswerUnhandledAsync(context, e, logger))
                    {
                        throw;
                    }

                    return;
                }

                switch (result)
                {
                    case IActionResult action:
                        await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                        break;
                    case null:
                        context.Response.StatusCode = StatusCodes.Status204NoContent;
                        break;
                    default:
                        await context.Response.WriteAsJsonAsync(result, context.RequestAborted);
                        break;
                }
            }).WithDisplayName(function.Name);
            mapped.Add($"{string.Join(',', methods)} {route} ({function.Name}, {http.AuthLevel})");
        }

        return mapped;
    }
}

using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;

namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>
/// The OpenAPI 3.1 description of the function app's HTTP routes: paths, methods and authorization from the functions'
/// attributes (<see cref="HttpRoute"/>), what each route takes and answers from <see cref="ApiOperations"/>, and the
/// schemas of JSON bodies from the types they are serialised from (<see cref="ResponseSchemas"/>).
/// </summary>
internal static class ApiDescription
{
    /// <summary>Security scheme: a function key in the <c>x-functions-key</c> header.</summary>
    public const string FunctionKeyHeader = "functionKey";

    /// <summary>Security scheme: a function key in the <c>code</c> query parameter.</summary>
    public const string FunctionKeyQuery = "functionKeyCode";

    /// <summary>Security scheme: the admin (master) key in the <c>x-functions-key</c> header.</summary>
    public const string AdminKeyHeader = "adminKey";

    /// <summary>Security scheme: the admin (master) key in the <c>code</c> query parameter.</summary>
    public const string AdminKeyQuery = "adminKeyCode";

    /// <summary>The component name of problem JSON.</summary>
    public const string ProblemSchema = "Problem";

    private static readonly Lazy<string> Written = new(() => Write(Build(HttpRoute.Discover(typeof(ApiDescription).Assembly))));

    /// <summary>The description of this function app as OpenAPI 3.1 JSON (built once).</summary>
    public static string Json => Written.Value;

    /// <summary>The document for these routes; a route without an entry in <see cref="ApiOperations"/> is left out.</summary>
    public static OpenApiDocument Build(IReadOnlyList<HttpRoute> routes)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "ScholarFx",
                Version = "1",
                Description = "Author profiles with novelty and AI scores. JSON is camelCase; errors are RFC 7807 problem JSON. "
                    + "Function keys are Azure Functions keys, in the x-functions-key header or the code query parameter; "
                    + "the admin (master) key opens function-key routes too.",
            },
            Paths = [],
            Components = new OpenApiComponents(),
        };
        AddSecuritySchemes(document);
        document.AddComponent<IOpenApiSchema>(ProblemSchema, ResponseSchemas.Problem());
        foreach (var route in routes)
        {
            if (!ApiOperations.ByFunction.TryGetValue(route.Function, out var described))
            {
                continue;
            }

            if (!document.Paths.TryGetValue(route.Path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths.Add(route.Path, item);
            }

            foreach (var method in route.Methods)
            {
                ((OpenApiPathItem)item).AddOperation(new HttpMethod(method), Operation(document, route, described));
            }
        }

        return document;
    }

    /// <summary>The document as OpenAPI 3.1 JSON.</summary>
    public static string Write(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static OpenApiOperation Operation(OpenApiDocument document, HttpRoute route, ApiOperation described)
    {
        var operation = new OpenApiOperation
        {
            OperationId = route.Function,
            Summary = described.Summary,
            Description = described.Description,
            Tags = new HashSet<OpenApiTagReference> { new(described.Tag, document) },
            Parameters = [],
            Responses = [],
        };
        foreach (var name in route.PathParameters)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = described.PathParameters.GetValueOrDefault(name),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        foreach (var query in described.Query)
        {
            operation.Parameters.Add(new OpenApiParameter { Name = query.Name, In = ParameterLocation.Query, Required = query.Required, Description = query.Description, Schema = query.Schema });
        }

        if (described.RequestBody is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = body.Description,
                Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
                {
                    [body.MediaType] = new OpenApiMediaType { Schema = body.Json is { } type ? Component(document, type, written: false) : new OpenApiSchema { Type = body.MediaType == ApiResponse.JsonMediaType ? JsonSchemaType.Object : JsonSchemaType.String } },
                },
            };
        }

        foreach (var response in described.Responses)
        {
            operation.Responses[Status(response.Status)] = Response(document, response, described.Conditional);
        }

        if (described.Conditional)
        {
            operation.Responses[Status(304)] = Response(document, ApiResponse.Empty(304, "Not modified: the If-None-Match tag is the current one."), conditional: false);
        }

        if (route.AuthLevel is not AuthorizationLevel.Anonymous)
        {
            operation.Responses[Status(401)] = Response(document, ApiResponse.Empty(401, "No key, or not one of this level (the Functions host answers, without a body)."), conditional: false);
            operation.Security = Security(document, route.AuthLevel);
        }

        operation.Responses[Status(500)] = Response(document, ApiResponse.Problem(500, "An unexpected failure, with a correlationId to quote; never internals."), conditional: false);
        return operation;
    }

    private static OpenApiResponse Response(OpenApiDocument document, ApiResponse response, bool conditional)
    {
        var result = new OpenApiResponse { Description = response.Description, Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal) };
        if (response.Location)
        {
            result.Headers["Location"] = new OpenApiHeader { Description = "Where the resource is, or the status of what was accepted.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        if (conditional && response.Status == 200)
        {
            result.Headers["ETag"] = new OpenApiHeader { Description = "The body's entity tag, for If-None-Match.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        if (response.MediaType is { } mediaType)
        {
            IOpenApiSchema schema = response.MediaType == ApiResponse.ProblemMediaType ? new OpenApiSchemaReference(ProblemSchema, document)
                : response.Bodies.Count == 1 ? Component(document, response.Bodies[0])
                : response.Bodies.Count > 1 ? new OpenApiSchema { AnyOf = [.. response.Bodies.Select(b => (IOpenApiSchema)Component(document, b))] }
                : new OpenApiSchema { Type = mediaType == ApiResponse.JsonMediaType ? JsonSchemaType.Object : JsonSchemaType.String };
            result.Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal) { [mediaType] = new OpenApiMediaType { Schema = schema } };
        }

        return result;
    }

    // A JSON body's type as a component of the document (generated once per type), referenced where it is used.
    private static OpenApiSchemaReference Component(OpenApiDocument document, Type type, bool written = true)
    {
        var name = ResponseSchemas.Name(type);
        if (document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent<IOpenApiSchema>(name, ResponseSchemas.Of(type, document, written));
        }

        return new OpenApiSchemaReference(name, document);
    }

    private static void AddSecuritySchemes(OpenApiDocument document)
    {
        foreach (var (name, location, level) in new[]
        {
            (FunctionKeyHeader, ParameterLocation.Header, "A function key"),
            (FunctionKeyQuery, ParameterLocation.Query, "A function key"),
            (AdminKeyHeader, ParameterLocation.Header, "The admin (master) key"),
            (AdminKeyQuery, ParameterLocation.Query, "The admin (master) key"),
        })
        {
            document.AddComponent<IOpenApiSecurityScheme>(name, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = location,
                Name = location == ParameterLocation.Header ? "x-functions-key" : "code",
                Description = $"{level} of the function app, {(location == ParameterLocation.Header ? "in the x-functions-key header" : "in the code query parameter")}.",
            });
        }
    }

    // Any one of the schemes opens the route: a function key or the admin key for function level, the admin key for admin level.
    private static List<OpenApiSecurityRequirement> Security(OpenApiDocument document, AuthorizationLevel level) =>
        [.. (level == AuthorizationLevel.Admin ? [AdminKeyHeader, AdminKeyQuery] : new[] { FunctionKeyHeader, FunctionKeyQuery, AdminKeyHeader, AdminKeyQuery })
            .Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] })];

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);
}

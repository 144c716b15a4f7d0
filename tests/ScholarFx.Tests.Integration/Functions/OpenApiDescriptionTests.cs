using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ScholarFx.Functions.Http.OpenApi;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Functions;

/// <summary>
/// The OpenAPI description against the code: every HTTP function the LocalHost would map (found by reflection over the
/// function app, as it finds them) is described with its route, method and key, and nothing else is; the document
/// reads back as OpenAPI 3.1 with Microsoft.OpenApi's reader.
/// </summary>
public sealed partial class OpenApiDescriptionTests
{
    private static readonly string RoutePrefix = HttpFunctionEndpoints.RoutePrefix(LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory));

    private static readonly IReadOnlyList<FunctionDescriptor> HttpFunctions =
        [.. FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly).Where(f => f.Http is not null)];

    private static readonly OpenApiDocument Document = Read().Document;

    [Fact]
    public void TheDocument_ReadsBackAsOpenApi31_WithoutErrors()
    {
        var (document, diagnostic) = Read();

        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.NotEmpty(document.Paths);
    }

    [Fact]
    public void EveryHttpFunction_IsDescribed_AtItsRouteAndMethods()
    {
        Assert.NotEmpty(HttpFunctions);
        foreach (var function in HttpFunctions)
        {
            var path = ExpectedPath(function);
            Assert.True(Document.Paths.TryGetValue(path, out var item), $"{function.Name}: {path} is not described");
            foreach (var method in function.Http!.Methods ?? ["get", "post"])
            {
                Assert.True(item!.Operations?.ContainsKey(new HttpMethod(method.ToUpperInvariant())) == true, $"{function.Name}: {method} {path} is not described");
                Assert.Equal(function.Name, item.Operations![new HttpMethod(method.ToUpperInvariant())].OperationId);
            }
        }
    }

    [Fact]
    public void EveryDescribedOperation_IsAnHttpFunction()
    {
        var routes = HttpFunctions
            .SelectMany(f => (f.Http!.Methods ?? ["get", "post"]).Select(m => $"{m.ToUpperInvariant()} {ExpectedPath(f)}"))
            .ToHashSet(StringComparer.Ordinal);

        var described = Document.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => $"{m.Method} {p.Key}")).ToList();

        Assert.All(described, d => Assert.Contains(d, routes));
        Assert.Equal(routes.Count, described.Count);
    }

    [Fact]
    public void EveryOperation_AsksForTheKeyOfItsFunctionsAuthorizationLevel()
    {
        foreach (var function in HttpFunctions)
        {
            var operation = Operation(function);
            var schemes = (operation.Security ?? []).SelectMany(r => r.Keys).Select(k => k.Reference.Id).ToHashSet(StringComparer.Ordinal);
            switch (function.Http!.AuthLevel)
            {
                case AuthorizationLevel.Anonymous:
                    Assert.True(schemes.Count == 0, $"{function.Name} is anonymous but asks for {string.Join(", ", schemes)}");
                    Assert.False(operation.Responses!.ContainsKey("401"), $"{function.Name} is anonymous but answers 401");
                    break;
                case AuthorizationLevel.Function:
                    Assert.Equal([ApiDescription.AdminKeyHeader, ApiDescription.AdminKeyQuery, ApiDescription.FunctionKeyHeader, ApiDescription.FunctionKeyQuery], schemes.Order(StringComparer.Ordinal));
                    Assert.True(operation.Responses!.ContainsKey("401"), $"{function.Name} takes a key but describes no 401");
                    break;
                case AuthorizationLevel.Admin:
                    Assert.Equal([ApiDescription.AdminKeyHeader, ApiDescription.AdminKeyQuery], schemes.Order(StringComparer.Ordinal));
                    Assert.True(operation.Responses!.ContainsKey("401"), $"{function.Name} takes a key but describes no 401");
                    break;
                default:
                    Assert.Fail($"{function.Name}: authorization level {function.Http.AuthLevel} is not described");
                    break;
            }
        }

        var keys = Document.Components!.SecuritySchemes!;
        Assert.All(keys.Values, k => Assert.Equal(SecuritySchemeType.ApiKey, k.Type));
        Assert.Equal(("x-functions-key", ParameterLocation.Header), (keys[ApiDescription.FunctionKeyHeader].Name, keys[ApiDescription.FunctionKeyHeader].In));
        Assert.Equal(("code", ParameterLocation.Query), (keys[ApiDescription.FunctionKeyQuery].Name, keys[ApiDescription.FunctionKeyQuery].In));
        Assert.Equal(("x-functions-key", ParameterLocation.Header), (keys[ApiDescription.AdminKeyHeader].Name, keys[ApiDescription.AdminKeyHeader].In));
        Assert.Equal(("code", ParameterLocation.Query), (keys[ApiDescription.AdminKeyQuery].Name, keys[ApiDescription.AdminKeyQuery].In));
    }

    [Fact]
    public void EveryOperation_DescribesItsRouteParameters_AndA500Problem()
    {
        foreach (var function in HttpFunctions)
        {
            var operation = Operation(function);
            foreach (Match parameter in RouteParameter().Matches(IsRoot(function) ? "" : function.Http!.Route ?? function.Name))
            {
                var described = operation.Parameters?.SingleOrDefault(p => p.Name == parameter.Groups["name"].Value && p.In == ParameterLocation.Path);
                Assert.True(described is { Required: true, Description.Length: > 0 }, $"{function.Name}: route parameter {parameter.Value} is not described");
            }

            Assert.Equal($"#/components/schemas/{ApiDescription.ProblemSchema}", ((OpenApiSchemaReference)operation.Responses!["500"].Content!["application/problem+json"].Schema!).Reference.ReferenceV3);
        }
    }

    [Theory]
    [InlineData("GetProfile", "200", "application/json", "ProfileView")]
    [InlineData("GetProfilePapers", "200", "application/json", "PapersPage")]
    [InlineData("GetPaper", "200", "application/json", "PaperView")]
    [InlineData("SimilarPapers", "200", "application/json", "FoundPapersView")]
    [InlineData("SearchPapers", "200", "application/json", "FoundPapersView")]
    [InlineData("GetReceipt", "200", "application/json", "ReceiptView")]
    [InlineData("Health", "200", "application/json", "HealthReport")]
    [InlineData("Health", "503", "application/json", "HealthReport")]
    [InlineData("CheckDraft", "200", "application/json", "DraftCheckView")]
    [InlineData("GetRescore", "200", "application/json", "RescoreRun")]
    [InlineData("StartRescore", "202", "application/json", "RescoreRun")]
    [InlineData("CorrectIdentities", "200", "application/json", "CurationOutcome")]
    [InlineData("UploadAbstracts", "202", "application/json", "UploadAccepted")]
    [InlineData("GetProfile", "404", "application/problem+json", "Problem")]
    [InlineData("CheckDraft", "413", "application/problem+json", "Problem")]
    [InlineData("FindProfiles", "429", "application/problem+json", "Problem")]
    public void AJsonBody_IsDescribedByTheSchemaOfItsType(string function, string status, string mediaType, string schema)
    {
        var described = Operation(HttpFunctions.Single(f => f.Name == function)).Responses![status].Content![mediaType].Schema;

        Assert.Equal($"#/components/schemas/{schema}", Assert.IsType<OpenApiSchemaReference>(described).Reference.ReferenceV3);
        Assert.NotEmpty(Document.Components!.Schemas![schema].Properties!);
    }

    [Fact]
    public void FindProfiles_AnswersAuthorsByName_ARankedList_OrAuthorsByTopic()
    {
        var described = Operation(HttpFunctions.Single(f => f.Name == "FindProfiles")).Responses!["200"].Content!["application/json"].Schema!;

        Assert.Equal(
            ["#/components/schemas/AuthorsPageOfNamedAuthor", "#/components/schemas/AuthorsPageOfRankedAuthor", "#/components/schemas/TopicAuthorsView"],
            described.AnyOf!.Select(s => ((OpenApiSchemaReference)s).Reference.ReferenceV3));
    }

    [Theory]
    [InlineData("ProfilePage", "text/html")]
    [InlineData("PaperPage", "text/html")]
    [InlineData("SearchPage", "text/html")]
    [InlineData("ProfileBadge", "image/svg+xml")]
    [InlineData("ProfileFeed", "application/atom+xml")]
    [InlineData("ExportProfiles", "application/x-ndjson")]
    public void APageBadgeFeedOrExport_IsDescribedByItsMediaType(string function, string mediaType)
    {
        Assert.Equal([mediaType], Operation(HttpFunctions.Single(f => f.Name == function)).Responses!["200"].Content!.Keys);
    }

    [Fact]
    public void TheTopParameter_HasTheBoundsTheReadmeStates()
    {
        var top = Operation(HttpFunctions.Single(f => f.Name == "GetProfilePapers")).Parameters!.Single(p => p.Name == "top");

        Assert.Equal(ParameterLocation.Query, top.In);
        Assert.Equal(JsonSchemaType.Integer, top.Schema!.Type);
        Assert.Equal(("1", "100", "20"), (top.Schema.Minimum, top.Schema.Maximum, top.Schema.Default?.ToJsonString()));
    }

    [Fact]
    public void AResponseSchema_RequiresWhatTheSerializerAlwaysWrites_AndNotWhatItLeavesOutWhenNull()
    {
        var paper = Document.Components!.Schemas!["PapersPage"].Properties!["papers"].Items!;

        Assert.Contains("citations", paper.Required!);
        Assert.Contains("novelty", paper.Required!);
        Assert.DoesNotContain("citationPercentile", paper.Required!);
        Assert.DoesNotContain("retracted", paper.Required!);
        Assert.Empty(paper.Properties!["citationPercentile"].Required ?? new HashSet<string>());
    }

    [Fact]
    public void APaper_DescribesItsUploadersAndConflicts()
    {
        var paper = Document.Components!.Schemas!["PaperView"];

        Assert.Equal(JsonSchemaType.Array, paper.Properties!["uploaders"].Type! & JsonSchemaType.Array);
        var conflict = paper.Properties["conflicts"].Items!;
        var properties = (conflict.Properties ?? Document.Components.Schemas[((Microsoft.OpenApi.OpenApiSchemaReference)conflict).Reference.Id!].Properties)!;
        Assert.Equal(["field", "format", "takenFrom", "uploader", "value"], properties.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EverySchemaReference_PointsAtAComponent()
    {
        var references = ReferenceRegex().Matches(ApiDescription.Json).Select(m => m.Groups["to"].Value).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.StartsWith("#/components/", r, StringComparison.Ordinal));
    }

    private static (OpenApiDocument Document, OpenApiDiagnostic Diagnostic) Read()
    {
        var result = OpenApiDocument.Parse(ApiDescription.Json, "json");
        return (result.Document ?? throw new InvalidOperationException("The description does not read: " + string.Join("; ", result.Diagnostic?.Errors.Select(e => e.Message) ?? [])), result.Diagnostic!);
    }

    private static OpenApiOperation Operation(FunctionDescriptor function) =>
        Document.Paths[ExpectedPath(function)].Operations![new HttpMethod((function.Http!.Methods ?? ["get"])[0].ToUpperInvariant())];

    // The path the LocalHost maps the function at (HttpFunctionEndpoints), with route parameters as OpenAPI names them.
    private static string ExpectedPath(FunctionDescriptor function) =>
        "/" + (RoutePrefix.Length == 0 ? "" : RoutePrefix + "/") + (IsRoot(function) ? "" : RouteParameter().Replace((function.Http!.Route ?? function.Name).TrimStart('/'), "{${name}}"));

    /// <summary>A route whose one segment must be empty (<c>{x:maxlength(0)?}</c>) is the root, as routing matches it.</summary>
    private static bool IsRoot(FunctionDescriptor function) =>
        function.Http!.Route is { } route && Regex.IsMatch(route, @"^\{[A-Za-z_]+:maxlength\(0\)\?\}$");

    [GeneratedRegex("\"\\$ref\"\\s*:\\s*\"(?<to>[^\"]*)\"")]
    private static partial Regex ReferenceRegex();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();
}

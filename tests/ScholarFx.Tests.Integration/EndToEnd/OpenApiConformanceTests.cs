using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.EndToEnd;

/// <summary>
/// What the LocalHost serves over Azurite with the samples ingested conforms to what <c>GET /api/openapi.json</c>
/// describes: each JSON body validates (JSON Schema 2020-12, JsonSchema.Net) against the schema the description gives
/// for its route, status and media type. The keyed routes are called without keys: the LocalHost checks none unless
/// told to (<c>LocalHost__FunctionKey</c>, <c>LocalHost__MasterKey</c>).
/// </summary>
public sealed class OpenApiConformanceTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Author = "boyu-shi";
    private const string Paper = "arxiv%3A2605.06213";
    private RunningLocalHost? host;
    private string? sample;

    public async Task InitializeAsync()
    {
        foreach (var name in await LocalFunctionHost.UploadSamplesAsync(fixture.Storage, fixture.RepositoryRoot, CancellationToken.None))
        {
            await fixture.IngestAsync(name);
            sample ??= name;
        }

        await LocalFunctionHost.ApplySampleCurationsAsync(fixture.Services, fixture.RepositoryRoot, CancellationToken.None);
        await fixture.Services.GetRequiredService<ScholarFx.Core.Settle.SettleService>().SettleAsync(everything: true, CancellationToken.None);
        host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>());
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryRepresentativeJsonAnswer_ValidatesAgainstTheSchemaTheDescriptionGivesIt()
    {
        using var described = await host!.Http.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        Assert.Equal("application/json", described.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", described.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var document = JsonNode.Parse(await described.Content.ReadAsStringAsync())!.AsObject();
        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);

        var curations = await File.ReadAllTextAsync(Directory.EnumerateFiles(Path.Combine(fixture.RepositoryRoot, "samples", "curations"), "*.json").Order(StringComparer.Ordinal).First());
        var draft = JsonSerializer.Serialize(new { title = "Conformal early exits", @abstract = "We calibrate layer-wise exit thresholds with conformal prediction and report the compute saved." });
        var checkedAnswers = new List<string>();
        foreach (var (method, template, url, sent, status) in new (string, string, string, string?, int)[]
        {
            ("get", "/api/receipts/{receiptId}", "/api/receipts/" + Uri.EscapeDataString(sample!), null, 200),
            ("post", "/api/novelty", "/api/novelty", draft, 200),
            ("post", "/api/novelty", "/api/novelty", "{\"title\": 42}", 400),
            ("post", "/api/admin/identity", "/api/admin/identity?curator=conformance", curations, 200),
            ("get", "/api/profiles/{authorId}", $"/api/profiles/{Author}", null, 200),
            ("get", "/api/profiles/{authorId}/papers", $"/api/profiles/{Author}/papers?top=2", null, 200),
            ("get", "/api/profiles", "/api/profiles?q=boyu", null, 200),
            ("get", "/api/profiles", "/api/profiles?sort=citations&top=3", null, 200),
            ("get", "/api/profiles", "/api/profiles?topic=conformal%20prediction&top=3", null, 200),
            ("get", "/api/papers/{paperId}", $"/api/papers/{Paper}", null, 200),
            ("get", "/api/papers/{paperId}/similar", $"/api/papers/{Paper}/similar?top=3", null, 200),
            ("get", "/api/papers", "/api/papers?q=early%20exiting%20with%20guarantees&top=3", null, 200),
            ("get", "/api/health", "/api/health", null, 200),
            ("get", "/api/profiles/{authorId}", "/api/profiles/nobody-at-all", null, 404),
            ("get", "/api/papers/{paperId}", "/api/papers/arxiv%3A0000.00000", null, 404),
            ("get", "/api/profiles/{authorId}/papers", $"/api/profiles/{Author}/papers?top=0", null, 400),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
            if (sent is not null)
            {
                request.Content = new StringContent(sent, System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await host.Http.SendAsync(request);
            Assert.True((int)response.StatusCode == status, $"{url}: {(int)response.StatusCode}, expected {status}");
            var mediaType = response.Content.Headers.ContentType!.MediaType!;
            var body = await response.Content.ReadAsStringAsync();
            var schema = SchemaFor(document, method, template, status, mediaType);

            var results = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

            Assert.True(results.IsValid, $"{url} ({status} {mediaType}) does not match its schema: {Failures(results)}\n{body}");
            checkedAnswers.Add(url);
        }

        Assert.Equal(16, checkedAnswers.Count);
    }

    [Fact]
    public async Task AnAnswerThatDoesNotMatch_FailsItsSchema()
    {
        var document = JsonNode.Parse(await host!.Http.GetStringAsync("/api/openapi.json"))!.AsObject();
        var profile = JsonNode.Parse(await host.Http.GetStringAsync($"/api/profiles/{Author}"))!.AsObject();
        profile["hIndex"] = "three";

        var results = SchemaFor(document, "get", "/api/profiles/{authorId}", 200, "application/json").Evaluate(JsonDocument.Parse(profile.ToJsonString()).RootElement);

        Assert.False(results.IsValid);
    }

    // The schema the description gives the answer, standalone: the document's component schemas become its $defs.
    private static JsonSchema SchemaFor(JsonObject document, string method, string template, int status, string mediaType)
    {
        var operation = document["paths"]?[template]?[method] ?? throw new InvalidOperationException($"{method} {template} is not described");
        var content = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?.AsObject()
            ?? throw new InvalidOperationException($"GET {template} describes no {status} with a body");
        var schema = content[mediaType]?.DeepClone().AsObject() ?? throw new InvalidOperationException($"GET {template} {status} describes no {mediaType} body, only {string.Join(", ", content.Select(c => c.Key))}");
        var standalone = schema["schema"]!.AsObject();
        standalone["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        standalone["$defs"] = document["components"]!["schemas"]!.DeepClone();
        var text = standalone.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static string Failures(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}"));
}

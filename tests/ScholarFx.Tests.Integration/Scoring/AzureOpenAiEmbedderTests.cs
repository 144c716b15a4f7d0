using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Scoring;

/// <summary>The real Azure.AI.OpenAI client against a local fake of the Azure OpenAI embeddings API (Kestrel, free port).</summary>
public sealed class AzureOpenAiEmbedderTests : IAsyncLifetime
{
    private readonly List<(string Path, string? Key, JsonElement Body)> requests = [];
    private WebApplication? server;
    private Uri? endpoint;
    private int throttleFirst;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{AzuriteProcess.FreePort()}");
        server = builder.Build();
        server.MapPost("/openai/deployments/{deployment}/embeddings", async (HttpContext context, string deployment) =>
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            lock (requests)
            {
                requests.Add((context.Request.Path, context.Request.Headers["api-key"].ToString(), body.RootElement.Clone()));
                if (throttleFirst > 0)
                {
                    throttleFirst--;
                    context.Response.Headers.RetryAfter = "1";
                    return Results.StatusCode(429);
                }
            }

            var inputs = body.RootElement.GetProperty("input").EnumerateArray().Select(i => i.GetString()!).ToList();
            var base64 = body.RootElement.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
            // A deterministic 8-dimensional vector per text, deliberately not unit length (the embedder normalises);
            // as the service does, base64 of little-endian float32 when the client asks for it.
            var data = inputs.Select((text, i) =>
            {
                var vector = Enumerable.Range(0, 8).Select(d => (float)((text.Length + d) % 5 + 1)).ToArray();
                object embedding = base64 ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())) : vector;
                return new { @object = "embedding", index = i, embedding };
            });
            return Results.Json(new { @object = "list", data, model = deployment, usage = new { prompt_tokens = 1, total_tokens = 1 } });
        });
        await server.StartAsync();
        endpoint = new Uri(server.Urls.First());
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Embed_CallsTheDeploymentWithTheKey_AndReturnsUnitVectorsInOrder()
    {
        var embedder = new AzureOpenAiEmbedder(new AzureOpenAiOptions { Endpoint = endpoint!.ToString(), EmbeddingDeployment = "embed-small", ApiKey = "test-key", EmbeddingBatchSize = 2 });

        var vectors = await embedder.EmbedAsync(["a", "bb", "ccc"], CancellationToken.None);

        Assert.Equal("azure-openai/embed-small", embedder.Model);
        Assert.Equal(3, vectors.Length);
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 5));
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/openai/deployments/embed-small/embeddings", r.Path));
        Assert.All(requests, r => Assert.Equal("test-key", r.Key));
        Assert.Equal(["a", "bb"], requests[0].Body.GetProperty("input").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task Embed_RetriesAfterA429WithRetryAfter()
    {
        throttleFirst = 1;
        var embedder = new AzureOpenAiEmbedder(new AzureOpenAiOptions { Endpoint = endpoint!.ToString(), EmbeddingDeployment = "embed-small", ApiKey = "test-key" });

        var vectors = await embedder.EmbedAsync(["retry me"], CancellationToken.None);

        Assert.Single(vectors);
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public void Registration_UsesAzureOpenAi_WhenEndpointAndDeploymentAreSet()
    {
        var fixtureHost = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { DisableDefaults = true });
        fixtureHost.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        fixtureHost.Configuration["AzureOpenAI:Endpoint"] = endpoint!.ToString();
        fixtureHost.Configuration["AzureOpenAI:EmbeddingDeployment"] = "embed-small";
        fixtureHost.Configuration["AzureOpenAI:ApiKey"] = "test-key";
        ScholarFx.Core.ScholarFxRegistration.AddScholarFx(fixtureHost);
        using var host = fixtureHost.Build();

        Assert.IsType<AzureOpenAiEmbedder>(host.Services.GetRequiredService<ITextEmbedder>());
    }
}

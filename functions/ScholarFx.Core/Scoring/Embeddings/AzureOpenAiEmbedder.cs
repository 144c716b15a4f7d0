using System.ClientModel;
using Azure.AI.OpenAI;
using Azure.Identity;
using OpenAI.Embeddings;

namespace ScholarFx.Core.Scoring.Embeddings;

/// <summary>Settings of the optional Azure OpenAI deployment (section <c>AzureOpenAI</c>).</summary>
public sealed class AzureOpenAiOptions
{
    /// <summary>Resource endpoint, e.g. <c>https://my-resource.openai.azure.com</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Embeddings deployment; when set (with the endpoint) it replaces the embedded MiniLM model.</summary>
    public string? EmbeddingDeployment { get; set; }

    /// <summary>Chat deployment (used by the AI score).</summary>
    public string? ChatDeployment { get; set; }

    /// <summary>API key; without one, Entra ID (DefaultAzureCredential, the app's managed identity in Azure) is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Texts sent per embeddings request.</summary>
    public int EmbeddingBatchSize { get; set; } = 16;

    /// <summary>True when an embeddings deployment is configured.</summary>
    public bool HasEmbeddings => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(EmbeddingDeployment);

    /// <summary>True when a chat deployment is configured (the AI score then uses Azure OpenAI).</summary>
    public bool HasChat => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(ChatDeployment);

    /// <summary>The client: key when given, Entra ID otherwise.</summary>
    public AzureOpenAIClient CreateClient(AzureOpenAIClientOptions? clientOptions = null) => ApiKey is { Length: > 0 } key
        ? new AzureOpenAIClient(new Uri(Endpoint!), new ApiKeyCredential(key), clientOptions ?? new AzureOpenAIClientOptions())
        : new AzureOpenAIClient(new Uri(Endpoint!), new DefaultAzureCredential(), clientOptions ?? new AzureOpenAIClientOptions());
}

/// <summary>
/// Embeddings from an Azure OpenAI deployment. The model name stored with each vector is
/// <c>azure-openai/{deployment}</c>, so switching between this and MiniLM re-embeds and rescores, never mixes.
/// Retries (429/503 with Retry-After) are the client pipeline's own.
/// </summary>
public sealed class AzureOpenAiEmbedder(AzureOpenAiOptions options) : ITextEmbedder
{
    private readonly EmbeddingClient client = options.CreateClient().GetEmbeddingClient(options.EmbeddingDeployment);

    /// <inheritdoc/>
    public string Model => "azure-openai/" + options.EmbeddingDeployment;

    /// <inheritdoc/>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(Math.Max(1, options.EmbeddingBatchSize)))
        {
            var response = await client.GenerateEmbeddingsAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            vectors.AddRange(response.Value.OrderBy(e => e.Index).Select(e => VectorMath.Normalise(e.ToFloats().ToArray())));
        }

        return [.. vectors];
    }
}

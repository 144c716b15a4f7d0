using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Ingest;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// A real Azurite (from the repository's node_modules, in memory, on free ports) per test class, and
/// ScholarFx services built through the same AddScholarFx registration as the function app.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;
    private IHost? host;

    public string RepositoryRoot { get; } = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);

    public AzuriteProcess Azurite => azurite ?? throw new InvalidOperationException("Azurite not started");

    public IServiceProvider Services => host?.Services ?? throw new InvalidOperationException("Host not built");

    public ScholarFxStorage Storage => Services.GetRequiredService<ScholarFxStorage>();

    /// <summary>The account's tables named <paramref name="name"/>: empty when there is none.</summary>
    public async Task<List<string>> TablesNamedAsync(string name)
    {
        var tables = new List<string>();
        await foreach (var table in Storage.TableService.QueryAsync(t => t.Name == name))
        {
            tables.Add(table.Name);
        }

        return tables;
    }

    public async Task InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync(RepositoryRoot, location: null);
        try
        {
            host = BuildHost();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A host with ScholarFx registered against this Azurite, plus extra settings.</summary>
    public IHost BuildHost(IReadOnlyDictionary<string, string?>? settings = null, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        configure?.Invoke(builder);
        builder.AddScholarFx();
        return builder.Build();
    }

    /// <summary>Uploads a blob to abstracts (overwriting) and returns its name.</summary>
    public async Task<string> UploadAsync(string name, string content)
    {
        await Storage.EnsureCreatedAsync(CancellationToken.None);
        await Storage.Abstracts.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true);
        return name;
    }

    /// <summary>Runs the Ingest function on the blob as the trigger would: a client for the blob.</summary>
    public async Task<Receipt> IngestAsync(string name, IServiceProvider? services = null)
    {
        services ??= Services;
        var function = ActivatorUtilities.CreateInstance<IngestFunction>(services);
        await function.Ingest(services.GetRequiredService<ScholarFxStorage>().Abstracts.GetBlobClient(name), CancellationToken.None);
        var properties = await Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync();
        var (receipt, _) = await Services.GetRequiredService<ReceiptStore>().GetAsync(name, properties.Value.ETag.ToString(), CancellationToken.None);
        return receipt ?? throw new InvalidOperationException($"No receipt for {name}");
    }

    public async Task DisposeAsync()
    {
        host?.Dispose();
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}

/// <summary>Builds ScholarFx JSON test papers.</summary>
public static class TestPapers
{
    private static int counter;

    /// <summary>A unique token for names and ids so tests sharing an Azurite do not meet.</summary>
    public static string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref counter)}{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>One paper as a compact JSON object.</summary>
    public static string Paper(string title, string[] authors, string published, int? citations = null, string? arxivId = null, string? doi = null, string category = "cs.LG", string? @abstract = null, string? id = null)
    {
        var paper = new Dictionary<string, object?>
        {
            ["title"] = title,
            ["authors"] = authors,
            ["categories"] = new[] { category },
            ["published"] = published,
            ["abstract"] = @abstract ?? $"We study {title.ToLowerInvariant()} and report what we find.",
        };
        if (citations is not null)
        {
            paper["citations"] = citations;
        }

        if (arxivId is not null)
        {
            paper["arxivId"] = arxivId;
        }

        if (doi is not null)
        {
            paper["doi"] = doi;
        }

        if (id is not null)
        {
            paper["id"] = id;
        }

        return System.Text.Json.JsonSerializer.Serialize(paper);
    }

    /// <summary>JSON Lines of the given objects.</summary>
    public static string Lines(params string[] objects)
    {
        var builder = new StringBuilder();
        foreach (var line in objects)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }
}

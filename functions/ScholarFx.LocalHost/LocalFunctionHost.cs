using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScholarFx.Core;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Http;

namespace ScholarFx.LocalHost;

/// <summary>
/// Runs the function app's own function classes without Azure Functions Core Tools: Kestrel serves the HTTP
/// functions under host.json's route prefix, a poller invokes <c>Ingest</c> for new blobs, queue functions run on their
/// queues' messages, timer functions run on their schedules. Used by <c>Program</c> and, in-process, by the end-to-end tests.
/// </summary>
public static class LocalFunctionHost
{
    /// <summary>Default URL, the same as <c>func start</c>.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>
    /// Builds the host. <paramref name="settings"/> override everything (tests pass their Azurite connection and
    /// <c>urls</c>); otherwise <c>local.settings.json</c> Values, environment variables and command line apply.
    /// </summary>
    public static WebApplication Build(string[] args, string repositoryRoot, IReadOnlyDictionary<string, string?>? settings = null, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = repositoryRoot });
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["RescoreSchedule"] = "0 0 2 * * *",
                // The harvest timers fire on these; a source without Harvest:*:Endpoint does nothing.
                ["Harvest:Arxiv:Schedule"] = "0 30 3 * * *",
                ["Harvest:OpenAlex:Schedule"] = "0 0 4 * * *",
                ["urls"] = DefaultUrl,
                // The Azure SDK logs every request (and every expected 404/409) at Information/Warning.
                ["Logging:LogLevel:Azure"] = "Error",
                // ASP.NET Core writes five Information lines per request, which drown the ingest progress; set
                // Logging__LogLevel__Microsoft.AspNetCore=Information to see them.
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        LocalSettings.AddSources(builder.Configuration, repositoryRoot, args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Links that must be absolute (feeds, badge snippets) point at the address the LocalHost listens on, unless set.
        if (string.IsNullOrEmpty(builder.Configuration["Api:PublicBaseUrl"]) && PublicAddress(builder.Configuration["urls"]) is { } address)
        {
            builder.Configuration["Api:PublicBaseUrl"] = address;
        }

        // Tests register their own services here (a test embedder) before ScholarFx's defaults.
        configure?.Invoke(builder);
        builder.AddScholarFx();
        // The upload function enforces its own limit; Kestrel's default (30 MB) would cut it short.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddMvcCore();
        builder.Services.AddCors();
        builder.Services.Configure<LocalHostOptions>(builder.Configuration.GetSection("LocalHost"));
        builder.Services.AddSingleton<BlobTriggerPoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BlobTriggerPoller>());
        builder.Services.AddHostedService<TimerTriggerRunner>();
        builder.Services.AddSingleton(QueueTriggerSettings.Read(repositoryRoot));
        builder.Services.AddHostedService<QueueTriggerRunner>();

        var app = builder.Build();
        app.Use((context, next) =>
        {
            // Every answer, including the host's own 401 and 404, as the function app's worker middleware sets them.
            ResponseDefences.ForEveryResponse(context.Response);
            return next(context);
        });
        var origins = builder.Configuration["Api:CorsAllowedOrigins"] ?? "*";
        app.UseCors(cors =>
        {
            cors.AllowAnyHeader().WithMethods("GET", "POST").WithExposedHeaders("ETag");
            if (origins == "*")
            {
                cors.AllowAnyOrigin();
            }
            else
            {
                cors.WithOrigins(origins.Split(',', StringSplitOptions.TrimEntries));
            }
        });
        var keys = FunctionKeys.From(builder.Configuration);
        var routes = HttpFunctionEndpoints.Map(app, FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly), keys, HttpFunctionEndpoints.RoutePrefix(repositoryRoot));
        app.MapFallback(context => Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: $"No function serves {context.Request.Method} {context.Request.Path}.").ExecuteAsync(context));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation("ScholarFx LocalHost listening on {Addresses}; keys {Keys}; functions: {Routes}", string.Join(", ", addresses),
                keys.Enforced ? "required (LocalHost:FunctionKey, LocalHost:MasterKey)" : "not required (set LocalHost__FunctionKey and LocalHost__MasterKey to require them, as in Azure)", string.Join("; ", routes));
        });
        return app;
    }

    /// <summary>The first of <paramref name="urls"/> when it names a concrete host and port (not <c>*</c>, <c>0.0.0.0</c> or port 0).</summary>
    internal static string? PublicAddress(string? urls)
    {
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first is not null && Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Port > 0
            && uri.Host is not ("*" or "+" or "0.0.0.0" or "[::]")
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
    }

    /// <summary>The base address Kestrel bound (useful when the URL asked for port 0).</summary>
    public static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Uploads the repository's sample files into <c>abstracts</c> (those not there yet); returns their names.</summary>
    public static async Task<IReadOnlyList<string>> UploadSamplesAsync(ScholarFxStorage storage, string repositoryRoot, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var uploaded = new List<string>();
        var folder = Path.Combine(repositoryRoot, "samples");
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var name = "samples/" + Path.GetFileName(file);
            try
            {
                await using var content = File.OpenRead(file);
                await storage.Abstracts.GetBlobClient(name).UploadAsync(content, overwrite: false, cancellationToken);
                uploaded.Add(name);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Already uploaded by an earlier run.
            }
        }

        return uploaded;
    }

    /// <summary>
    /// Applies the sample curators' identity corrections (<c>samples/curations/*.json</c>) through the curators' route's
    /// service, as a curator would with <c>POST /api/admin/identity</c>: they are not uploads. Returns their outcomes.
    /// </summary>
    public static async Task<IReadOnlyList<CurationOutcome>> ApplySampleCurationsAsync(IServiceProvider services, string repositoryRoot, CancellationToken cancellationToken)
    {
        var outcomes = new List<CurationOutcome>();
        var folder = Path.Combine(repositoryRoot, "samples", "curations");
        foreach (var file in Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
        {
            await using var content = File.OpenRead(file);
            outcomes.Add(await services.GetRequiredService<IIdentityCurations>().ApplyAsync(content, "samples", cancellationToken));
        }

        return outcomes;
    }

    /// <summary>
    /// Waits until the given blobs have final receipts, applies the samples' identity corrections, then runs the rescore
    /// once (used after uploading samples).
    /// </summary>
    public static async Task RescoreWhenIngestedAsync(WebApplication app, IReadOnlyList<string> blobs, CancellationToken cancellationToken)
    {
        if (blobs.Count == 0)
        {
            return;
        }

        try
        {
            var receipts = app.Services.GetRequiredService<IReceiptQueries>();
            var deadline = DateTime.UtcNow.AddMinutes(10);
            while (DateTime.UtcNow < deadline)
            {
                var views = await Task.WhenAll(blobs.Select(b => receipts.GetAsync(b, cancellationToken)));
                if (views.All(v => v?.Latest?.IsFinal == true))
                {
                    break;
                }

                await Task.Delay(500, cancellationToken);
            }

            foreach (var curation in await ApplySampleCurationsAsync(app.Services, FindRepositoryRoot(app.Environment.ContentRootPath), cancellationToken))
            {
                app.Logger.LogInformation("Sample identity corrections {File}: {Applied} applied, {Moved} papers moved", curation.Id, curation.Applied, curation.PapersMoved);
            }

            var run = await app.Services.GetRequiredService<IRescoreService>().RunAsync(recomputeAll: true, cancellationToken);
            app.Logger.LogInformation("Samples ingested and rescored: {Changed} papers' scores changed, {Profiles} profiles rebuilt", run.PapersChanged, run.ProfilesRebuilt);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            app.Logger.LogError(e, "Rescoring the samples failed; the nightly rescore will do it");
        }
    }

    /// <summary>The repository root: the nearest folder up from <paramref name="start"/> holding ScholarFx.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScholarFx.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ScholarFx.sln not found above {start}; run from inside the repository.");
    }
}

/// <summary>Reads <c>local.settings.json</c> the way <c>func start</c> does: its <c>Values</c> become settings.</summary>
public static class LocalSettings
{
    /// <summary>The LocalHost's settings in order of precedence: local.settings.json Values, then environment, then command line.</summary>
    public static IConfigurationBuilder AddSources(IConfigurationBuilder configuration, string repositoryRoot, string[] args) =>
        configuration.AddInMemoryCollection(Read(repositoryRoot)).AddEnvironmentVariables().AddCommandLine(args);

    /// <summary>The Values of the first local.settings.json found (repository root, then the functions project); empty when none.</summary>
    public static IReadOnlyDictionary<string, string?> Read(string repositoryRoot)
    {
        foreach (var path in new[] { Path.Combine(repositoryRoot, "local.settings.json"), Path.Combine(repositoryRoot, "functions", "ScholarFx.Functions", "local.settings.json") })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("Values", out var values))
            {
                return new Dictionary<string, string?>();
            }

            // "AzureWebJobsStorage__blobServiceUri" is "AzureWebJobsStorage:blobServiceUri" in configuration.
            return values.EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
        }

        return new Dictionary<string, string?>();
    }
}

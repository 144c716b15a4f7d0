using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;

// Runs ScholarFx's functions locally: dotnet run --project functions/ScholarFx.LocalHost [-- --samples]
var root = LocalFunctionHost.FindRepositoryRoot(Directory.GetCurrentDirectory());
var withSamples = args.Contains("--samples");
var hostArgs = args.Where(a => a != "--samples").ToArray();

// Local storage: start Azurite when storage is unset or the development account and nothing listens on its ports.
var probe = LocalSettings.AddSources(new ConfigurationBuilder(), root, hostArgs).Build();
var connection = StorageConnection.FromConfiguration(probe);
AzuriteProcess? azurite = null;
if (connection.ConnectionString is { } cs && cs.Replace(" ", "", StringComparison.Ordinal).Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
{
    int[] ports = [10000, 10001, 10002];
    var listening = ports.Where(AzuriteProcess.IsListening).ToList();
    if (listening.Count == 0)
    {
        Console.WriteLine("Starting Azurite on 10000-10002 (data in .azurite/) ...");
        azurite = await AzuriteProcess.StartAsync(root, Path.Combine(root, ".azurite"), 10000, 10001, 10002);
    }
    else if (listening.Count < ports.Length)
    {
        Console.Error.WriteLine($"Ports {string.Join(", ", listening)} are in use but not all of 10000-10002: stop whatever holds them or set AzureWebJobsStorage.");
        return 1;
    }
    else
    {
        Console.WriteLine("Using the storage emulator already listening on 10000-10002.");
    }
}

try
{
    var app = LocalFunctionHost.Build(hostArgs, root);
    if (withSamples)
    {
        var storage = app.Services.GetRequiredService<ScholarFxStorage>();
        var uploaded = await LocalFunctionHost.UploadSamplesAsync(storage, root, CancellationToken.None);
        app.Logger.LogInformation("Uploaded {Count} sample files to the abstracts container: {Files}; once they are in, open /profiles/boyu-shi in a browser", uploaded.Count, string.Join(", ", uploaded));
        // Sample files ingested in any order backfill each other; rescore once they are in, as the nightly run would.
        _ = Task.Run(() => LocalFunctionHost.RescoreWhenIngestedAsync(app, uploaded, app.Lifetime.ApplicationStopping));
    }

    await app.RunAsync();
    return 0;
}
finally
{
    if (azurite is not null)
    {
        await azurite.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Builder;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>The LocalHost started on a free port against a test class's Azurite, and a client for it.</summary>
public sealed class RunningLocalHost : IAsyncDisposable
{
    private RunningLocalHost(WebApplication app, HttpClient http)
    {
        App = app;
        Http = http;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the LocalHost with quiet logs and the given settings on top.</summary>
    public static async Task<RunningLocalHost> StartAsync(AzuriteFixture fixture, IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = LocalFunctionHost.Build([], fixture.RepositoryRoot, all);
        await app.StartAsync();
        return new RunningLocalHost(app, new HttpClient { BaseAddress = LocalFunctionHost.BaseAddress(app), Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

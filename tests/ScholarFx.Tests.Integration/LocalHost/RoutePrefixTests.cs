using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.LocalHost;

/// <summary>The LocalHost maps routes under host.json's route prefix, as the Functions host does.</summary>
public sealed class RoutePrefixTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("scholarfx-host-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(null, "api")]
    [InlineData("""{ "version": "2.0" }""", "api")]
    [InlineData("""{ "extensions": { "http": { "routePrefix": "" } } }""", "")]
    [InlineData("""{ "extensions": { "http": { "routePrefix": "/v1/" } } }""", "v1")]
    public void ThePrefix_IsHostJsons_OrTheHostsDefault(string? hostJson, string expected)
    {
        if (hostJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, "host.json"), hostJson);
        }

        Assert.Equal(expected, HttpFunctionEndpoints.RoutePrefix(folder));
    }

    [Fact]
    public void TheRepositorysHostJson_PutsThePagesAtTheRoot()
    {
        Assert.Equal("", HttpFunctionEndpoints.RoutePrefix(LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory)));
    }
}

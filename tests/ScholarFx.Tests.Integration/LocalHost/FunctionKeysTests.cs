using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.LocalHost;

/// <summary>
/// Issue 12: with keys configured, the LocalHost asks for them as the Functions host does. Every route of the app is
/// tried: every write and admin route refuses a missing or wrong key, every anonymous route is read-only.
/// </summary>
public sealed partial class FunctionKeysTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string FunctionKey = "function-key-for-tests";
    private const string MasterKey = "master-key-for-tests";
    private RunningLocalHost? host;

    public static TheoryData<string> Functions() => [.. Routes().Select(f => f.Name)];

    public async Task InitializeAsync() => host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>
    {
        ["LocalHost:FunctionKey"] = FunctionKey,
        ["LocalHost:MasterKey"] = MasterKey,
    });

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public void EveryAnonymousRoute_IsReadOnly()
    {
        var anonymous = Routes().Where(f => f.Http!.AuthLevel == AuthorizationLevel.Anonymous).ToList();

        Assert.NotEmpty(anonymous);
        Assert.All(anonymous, f => Assert.All(f.Http!.Methods ?? ["get", "post"], m => Assert.Equal("get", m, ignoreCase: true)));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task EachRoute_AsksForTheKeyOfItsLevel(string name)
    {
        var function = Routes().Single(f => f.Name == name);
        var level = function.Http!.AuthLevel;
        var path = "/" + Parameter().Replace(function.Http.Route ?? function.Name, "x");

        foreach (var method in (function.Http.Methods ?? ["get", "post"]).Select(m => new HttpMethod(m.ToUpperInvariant())))
        {
            var none = await SendAsync(method, path, null);
            var wrong = await SendAsync(method, path, "not-a-key");
            var asFunction = await SendAsync(method, path, FunctionKey);
            var asMaster = await SendAsync(method, path, MasterKey);

            if (level == AuthorizationLevel.Anonymous)
            {
                Assert.All([none, wrong], s => Assert.NotEqual(HttpStatusCode.Unauthorized, s.Status));
                continue;
            }

            Assert.Equal((HttpStatusCode.Unauthorized, ""), (none.Status, none.Body));
            Assert.Equal((HttpStatusCode.Unauthorized, ""), (wrong.Status, wrong.Body));
            Assert.Equal(level == AuthorizationLevel.Function, asFunction.Status != HttpStatusCode.Unauthorized);
            Assert.NotEqual(HttpStatusCode.Unauthorized, asMaster.Status);
        }
    }

    [Fact]
    public async Task TheKeyMayComeAsTheCodeParameter()
    {
        var receipts = Routes().First(f => f.Http!.AuthLevel == AuthorizationLevel.Function && (f.Http.Methods ?? []).Contains("get", StringComparer.OrdinalIgnoreCase));
        var path = "/" + Parameter().Replace(receipts.Http!.Route ?? receipts.Name, "x");

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, path + "?code=wrong", null)).Status);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, path + "?code=" + FunctionKey, null)).Status);
    }

    [Fact]
    public async Task AProfilesIdentityHistory_IsServedToTheAdminKeyOnly_AndARevertOfNoEntryIs404()
    {
        var name = "Ada " + TestPapers.Unique("Keyed");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("keys") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("Keyed " + name, [name], "2024-01-01", id: "sfx:" + TestPapers.Unique("keyed")))));
        var id = ScholarFx.Core.Papers.AuthorKey.FromName(name);
        await fixture.Services.GetRequiredService<IIdentityCurations>().ApplyAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{ "scholarfxIdentity": [{ "merge": ["{{id}}"], "into": "{{id}}-2" }] }""")), "library", CancellationToken.None);

        var asUploader = await SendAsync(HttpMethod.Get, $"/api/profiles/{id}-2/history", FunctionKey);
        var asCurator = await SendAsync(HttpMethod.Get, $"/api/profiles/{id}-2/history?top=1", MasterKey);
        var revert = await SendAsync(HttpMethod.Post, $"/api/admin/identity/revert?entry={Uri.EscapeDataString("0000000000000000000-000000000000@" + id)}", MasterKey);

        Assert.Equal(HttpStatusCode.Unauthorized, asUploader.Status);
        Assert.Equal(HttpStatusCode.OK, asCurator.Status);
        var entry = System.Text.Json.JsonDocument.Parse(asCurator.Body).RootElement.GetProperty("entries")[0];
        Assert.Equal(("merge", "library", true), (entry.GetProperty("kind").GetString(), entry.GetProperty("curator").GetString(), entry.GetProperty("revertible").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, revert.Status);
    }

    private static IEnumerable<FunctionDescriptor> Routes() =>
        FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly).Where(f => f.Http is not null);

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("");
        }

        using var response = await host!.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"\{\*?[^}]+\}")]
    private static partial Regex Parameter();
}

using System.Text.Json;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Functions;

/// <summary>Reads the functions.metadata the Functions SDK wrote when it built the app (what the Azure host indexes).</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Dictionary<string, JsonElement> Functions = Load();

    [Theory]
    [InlineData("GetProfile", "api/profiles/{authorId}", "Anonymous")]
    [InlineData("GetProfilePapers", "api/profiles/{authorId}/papers", "Anonymous")]
    [InlineData("FindProfiles", "api/profiles", "Anonymous")]
    [InlineData("GetPaper", "api/papers/{*paperId}", "Anonymous")]
    [InlineData("GetReceipt", "api/receipts/{*receiptId}", "Function")]
    [InlineData("Health", "api/health", "Anonymous")]
    [InlineData("ProfileBadge", "api/profiles/{authorId}/badge.svg", "Anonymous")]
    [InlineData("ProfileFeed", "api/profiles/{authorId}/feed.atom", "Anonymous")]
    [InlineData("ProfilePage", "profiles/{authorId}", "Anonymous")]
    [InlineData("PaperPage", "papers/{*paperId}", "Anonymous")]
    [InlineData("SearchPage", "profiles", "Anonymous")]
    [InlineData("HomePage", "{ignored:maxlength(0)?}", "Anonymous")]
    [InlineData("RankingPage", "rankings", "Anonymous")]
    [InlineData("SimilarPapers", "api/papers/{paperId}/similar", "Anonymous")]
    [InlineData("SearchPapers", "api/papers", "Anonymous")]
    public void HttpFunction_HasItsRouteMethodAndAuthLevel(string name, string route, string authLevel)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(authLevel, trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void UploadAbstracts_IsAKeyedPost()
    {
        var trigger = Trigger("UploadAbstracts");

        Assert.Equal("api/abstracts", trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void CheckDraft_IsAKeyedPost()
    {
        var trigger = Trigger("CheckDraft");

        Assert.Equal("api/novelty", trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("StartRescore", "api/admin/rescore", "post")]
    [InlineData("GetRescore", "api/admin/rescore/{runId}", "get")]
    [InlineData("CorrectIdentities", "api/admin/identity", "post")]
    public void AdminRoutes_AreAdminOnly(string name, string route, string method)
    {
        var trigger = Trigger(name);

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Admin", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void RescoreShard_IsAQueueTriggerOnTheRescoreQueue()
    {
        var trigger = Trigger("RescoreShard");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("rescore", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void Ingest_IsAnEventGridBlobTriggerOnAbstractsThroughAzureWebJobsStorage()
    {
        var trigger = Trigger("Ingest");

        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("abstracts/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        // Flex Consumption has no polling blob trigger: infra/ subscribes the storage account's BlobCreated events to it.
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
    }

    [Fact]
    public void Settle_IsAQueueTriggerOnTheSettleQueueThroughAzureWebJobsStorage()
    {
        var trigger = Trigger("Settle");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("settle", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void Rescore_IsATimerOnTheRescoreScheduleSetting()
    {
        var trigger = Trigger("Rescore");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%RescoreSchedule%", trigger.GetProperty("schedule").GetString());
    }

    [Theory]
    [InlineData("HarvestArxiv", "%Harvest:Arxiv:Schedule%")]
    [InlineData("HarvestOpenAlex", "%Harvest:OpenAlex:Schedule%")]
    public void Harvest_IsATimerOnItsSourcesScheduleSetting(string function, string schedule)
    {
        var trigger = Trigger(function);

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void LocalHost_ServesExactlyTheFunctionsTheMetadataDeclares()
    {
        var discovered = FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly).Select(f => f.Name).Order();

        Assert.Equal(Functions.Keys.Order(), discovered);
    }

    [Fact]
    public void TheAppsRuntimeConfig_AsksTheGcToConserveMemory()
    {
        // Directory.Build.targets: without it, large abstracts let the large-object heap grow (docs/benchmarks.md, Big files).
        var path = Path.Combine(AppContext.BaseDirectory, "app", "ScholarFx.Functions.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));

        Assert.Equal(7, document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.ConserveMemory").GetInt32());
    }

    private static JsonElement Trigger(string name) =>
        Functions[name].GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static Dictionary<string, JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "app", "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }
}

using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>
/// Issue 12: what keeps data and diagnosis when something goes wrong — zone-redundant storage, blob soft delete and
/// versioning, a dead-letter container for Event Grid, diagnostic settings on every service, and roles no wider
/// than their use.
/// </summary>
public sealed class ResilienceTemplateTests
{
    // The roles module names each role once (RoleAssignmentTests checks the ids) and refers to it by this key.
    private const string BlobDataContributor = "storageBlobDataContributor";

    [Fact]
    public async Task Storage_IsZoneRedundant_AndKeepsDeletedAndOverwrittenBlobs()
    {
        var storage = (await CompiledInfra.GetAsync()).Main.Module("storage");
        var account = storage.Resource("Microsoft.Storage/storageAccounts").Body;
        var blobs = storage.Resource("Microsoft.Storage/storageAccounts/blobServices").Properties;

        Assert.Equal("Standard_ZRS", storage.Evaluate(account.GetProperty("sku").GetProperty("name"))!.GetValue<string>());
        Assert.True(blobs.GetProperty("isVersioningEnabled").GetBoolean());
        Assert.True(blobs.GetProperty("deleteRetentionPolicy").GetProperty("enabled").GetBoolean());
        Assert.True(blobs.GetProperty("containerDeleteRetentionPolicy").GetProperty("enabled").GetBoolean());
        Assert.InRange(storage.Evaluate(blobs.GetProperty("deleteRetentionPolicy").GetProperty("days"))!.GetValue<int>(), 7, 365);
    }

    [Theory]
    [InlineData("storage", 3)]
    [InlineData("events", 1)]
    [InlineData("function-app", 1)]
    [InlineData("openai", 1)]
    public async Task EveryService_SendsItsLogsToTheWorkspace(string module, int settings)
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var template = main.Module(module);

        var diagnostics = template.Resources.Where(r => r.Type == "Microsoft.Insights/diagnosticSettings").ToList();

        Assert.Equal(settings, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", d.Properties.GetProperty("workspaceId").GetString()));
        Assert.All(diagnostics, d => Assert.Equal("allLogs", d.Properties.GetProperty("logs")[0].GetProperty("categoryGroup").GetString()));
        Assert.Equal("\"[variables('logAnalyticsId')]\"", template.PassedValue("logAnalyticsWorkspaceId"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", main.Json.GetProperty("variables").GetProperty("logAnalyticsId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventGrid_DeadLettersWithItsOwnIdentity_IntoAContainerOfItsOwn()
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var topic = main.Module("events").Resource("Microsoft.EventGrid/systemTopics").Body;
        var roles = main.Module("roles");
        var deadLetter = roles.Resources.Single(r => r.Type == "Microsoft.Authorization/roleAssignments" && r.Body.GetProperty("scope").GetString()!.Contains("deadLetterContainerName", StringComparison.Ordinal));

        Assert.Equal("SystemAssigned", topic.GetProperty("identity").GetProperty("type").GetString());
        Assert.Equal("eventgrid-deadletter", main.Json.GetProperty("variables").GetProperty("deadLetterContainer").GetString());
        Assert.Contains("variables('deadLetterContainer')", main.Module("storage").PassedValue("containers"), StringComparison.Ordinal);
        Assert.Contains(BlobDataContributor, deadLetter.Properties.GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        Assert.Contains("events", roles.PassedValue("eventGridPrincipalId"), StringComparison.Ordinal);
        var hook = Repository.Read("infra/hooks/subscribe-ingest.sh");
        Assert.Contains("--deadletter-identity systemassigned", hook, StringComparison.Ordinal);
        Assert.Contains("--deadletter-identity-endpoint \"$DEADLETTER_CONTAINER_ID\"", hook, StringComparison.Ordinal);
        Assert.Contains("--deadletter-identity-endpoint $env:DEADLETTER_CONTAINER_ID", Repository.Read("infra/hooks/subscribe-ingest.ps1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDeployer_MayWriteTheAbstractsContainerOnly_NotThePackageTheAppRunsFrom()
    {
        var roles = (await CompiledInfra.GetAsync()).Main.Module("roles");
        var contributor = roles.Resources
            .Where(r => r.Type == "Microsoft.Authorization/roleAssignments" && r.Properties.GetProperty("roleDefinitionId").GetString()!.Contains(BlobDataContributor, StringComparison.Ordinal))
            .ToList();

        // The deployer's and the uploaders' (on abstracts), Event Grid's (on the dead-letter container); none on the account.
        Assert.Equal(3, contributor.Count);
        Assert.All(contributor, r => Assert.Contains("/blobServices/", r.Body.GetProperty("scope").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, contributor.Count(r => r.Body.GetProperty("scope").GetString()!.Contains("abstractsContainerName", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnUploader_MayWriteOnlyItsOwnFolderOfAbstracts_TheFolderBeingTheSourceOfItsRecords()
    {
        var roles = (await CompiledInfra.GetAsync()).Main.Module("roles");
        var uploaders = roles.Resources.Single(r => r.Type == "Microsoft.Authorization/roleAssignments" &&
            r.Properties.TryGetProperty("condition", out _));

        Assert.Contains(BlobDataContributor, uploaders.Properties.GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        Assert.Contains("abstractsContainerName", uploaders.Body.GetProperty("scope").GetString(), StringComparison.Ordinal);
        Assert.Equal("2.0", uploaders.Properties.GetProperty("conditionVersion").GetString());
        // As compiled: an ARM format() expression, its braces doubled and its quotes escaped.
        var condition = uploaders.Properties.GetProperty("condition").GetString()!
            .Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal).Replace("''", "'", StringComparison.Ordinal);
        foreach (var action in new[] { "blobs/write", "blobs/add/action", "blobs/delete" })
        {
            Assert.Contains($"!(ActionMatches{{'Microsoft.Storage/storageAccounts/blobServices/containers/{action}'}})", condition, StringComparison.Ordinal);
        }

        Assert.Contains("containers/blobs:path] StringStartsWith '{0}/'", condition, StringComparison.Ordinal);
        Assert.Contains("folder", condition, StringComparison.Ordinal);
    }
}

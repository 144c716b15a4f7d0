using System.Text.Json.Nodes;
using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>The deployed app settings: identity-based storage, and every setting local.settings.sample.json documents.</summary>
public sealed class AppSettingsTests
{
    // Settings the Azure platform reads, documented in infra/README.md rather than in the sample.
    private static readonly string[] PlatformSettings =
    [
        "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "AZURE_CLIENT_ID",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    private static bool IsForAzure(string sampleKey) =>
        sampleKey is not "AzureWebJobsStorage" // a connection string: Azure uses the identity-based AzureWebJobsStorage__* instead
        and not "FUNCTIONS_WORKER_RUNTIME" // Flex Consumption takes the runtime from functionAppConfig and rejects this setting
        && !sampleKey.StartsWith("LocalHost__", StringComparison.Ordinal);

    private static async Task<(ArmTemplate Module, Dictionary<string, string> Expressions)> Settings()
    {
        var module = (await CompiledInfra.GetAsync()).Main.Module("function-app");
        var config = module.Resources.Single(r => r.Type == "Microsoft.Web/sites/config" && r.Body.GetProperty("name").GetString()!.Contains("'appsettings'", StringComparison.Ordinal));
        return (module, config.Properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal));
    }

    private static string? Value(ArmTemplate module, string expression) => module.Evaluate(expression) is JsonValue value ? value.ToString() : null;

    [Fact]
    public async Task Storage_IsReachedWithTheManagedIdentityNotAConnectionString()
    {
        var (module, settings) = await Settings();

        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AZURE_CLIENT_ID"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains($"primaryEndpoints.{service}", settings[$"AzureWebJobsStorage__{service}ServiceUri"], StringComparison.Ordinal);
        }

        Assert.Null(Value(module, settings["AzureWebJobsStorage__blobServiceUri"])); // an endpoint only Azure knows, not a literal
    }

    [Fact]
    public async Task Settings_IncludeEverySettingTheSampleDocumentsForAzure_WithItsValue()
    {
        var (module, settings) = await Settings();

        Assert.All(SettingsSample.Values.Where(s => IsForAzure(s.Key)), sample =>
        {
            Assert.True(settings.ContainsKey(sample.Key), $"{sample.Key} is documented in local.settings.sample.json but not deployed");
            if (sample.Value.Length > 0)
            {
                Assert.Equal(sample.Value, Value(module, settings[sample.Key]));
            }
        });
    }

    [Fact]
    public async Task Settings_AreAllDocumentedInTheSample()
    {
        var (_, settings) = await Settings();

        Assert.All(settings.Keys, key => Assert.True(
            SettingsSample.Values.ContainsKey(key) || PlatformSettings.Contains(key),
            $"{key} is deployed but documented neither in local.settings.sample.json nor as a platform setting"));
    }

    [Fact]
    public async Task Settings_LeaveTheRuntimeToFlexConsumption()
    {
        var (_, settings) = await Settings();

        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
        Assert.DoesNotContain("WEBSITE_RUN_FROM_PACKAGE", settings.Keys);
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", settings.Keys);
    }

    [Fact]
    public async Task Template_HoldsNoKeyAnywhere()
    {
        var infra = await CompiledInfra.GetAsync();
        var (_, settings) = await Settings();

        Assert.DoesNotContain("AccountKey", infra.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys", infra.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", infra.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(settings.Keys, key => key.Contains("ApiKey", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings.Values, value => value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Telemetry_GoesToWorkspaceApplicationInsightsWithEntraIdOnly()
    {
        var (module, settings) = await Settings();
        var insights = module.Parent!.Module("monitoring").Resource("Microsoft.Insights/components").Properties;

        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.GetProperty("WorkspaceResourceId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.Contains("parameters('identityClientId')", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
    }
}

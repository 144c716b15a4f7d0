using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>The function app: Flex Consumption, .NET 10 isolated, its own identity, HTTPS only, no FTP.</summary>
public sealed class FunctionAppTemplateTests
{
    private static async Task<ArmTemplate> FunctionAppModule() => (await CompiledInfra.GetAsync()).Main.Module("function-app");

    [Fact]
    public async Task Plan_IsFlexConsumptionOnLinux()
    {
        var plan = (await FunctionAppModule()).Resource("Microsoft.Web/serverfarms").Body;

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public async Task FunctionApp_RunsDotnetIsolated10FromItsDeploymentContainer()
    {
        var config = (await FunctionAppModule()).Resource("Microsoft.Web/sites").Properties.GetProperty("functionAppConfig");

        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("instanceMemoryMB", out _));
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("maximumInstanceCount", out _));
        var storage = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", storage.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString());
    }

    [Fact]
    public async Task FunctionApp_HasOnlyTheUserAssignedIdentity()
    {
        var identity = (await FunctionAppModule()).Resource("Microsoft.Web/sites").Body.GetProperty("identity");

        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.Contains("parameters('identityId')", Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject()).Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_IsHttpsOnlyWithTls12AndNoFtpOrBasicAuthPublishing()
    {
        var module = await FunctionAppModule();
        var site = module.Resource("Microsoft.Web/sites").Properties;

        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", site.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.Equal("1.2", site.GetProperty("siteConfig").GetProperty("scmMinTlsVersion").GetString());
        Assert.Equal("Disabled", site.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
        var policies = module.Resources.Where(r => r.Type == "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], policies.Select(p => p.Body.GetProperty("name").GetString()!.Split('\'')[^2]).Order());
        Assert.All(policies, p => Assert.False(p.Properties.GetProperty("allow").GetBoolean()));
    }
}

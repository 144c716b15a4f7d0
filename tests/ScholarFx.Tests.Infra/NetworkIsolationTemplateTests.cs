using System.Text.Json;
using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>
/// Issue 12: storage is off the public internet by default — the account denies every network but its private
/// endpoints, trusted Azure services and the deployer's own address, and the function app reaches it from inside a
/// virtual network.
/// </summary>
public sealed class NetworkIsolationTemplateTests
{
    [Fact]
    public async Task Storage_DeniesPublicNetworks_ByDefault_ButLetsTrustedServicesAndTheGivenAddressesIn()
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var storage = main.Module("storage");
        var acls = storage.Resource("Microsoft.Storage/storageAccounts").Properties.GetProperty("networkAcls");

        Assert.True(main.Json.GetProperty("parameters").GetProperty("isolateStorage").GetProperty("defaultValue").GetBoolean());
        Assert.Contains("parameters('isolateStorage')", storage.PassedValue("publicNetworkDefault"), StringComparison.Ordinal);
        Assert.Contains("'Deny'", storage.PassedValue("publicNetworkDefault"), StringComparison.Ordinal);
        Assert.Equal("[parameters('publicNetworkDefault')]", acls.GetProperty("defaultAction").GetString());
        Assert.Equal("AzureServices", acls.GetProperty("bypass").GetString());
        Assert.Contains("parameters('allowedIps')", acls.GetProperty("copy")[0].GetProperty("input").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains("storageAllowedIps", main.Json.GetProperty("variables").GetProperty("allowedIps").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNetwork_HasAPrivateEndpointAndADnsZone_ForEveryStorageServiceTheAppUses()
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var network = main.Module("network");

        Assert.Equal("[parameters('isolateStorage')]", main.Resources.Single(r => r.Type == "Microsoft.Resources/deployments" && r.Body.GetProperty("name").GetString() == "network").Body.GetProperty("condition").GetString());
        var services = network.Json.GetProperty("variables").GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Equal(["blob", "queue", "table"], services);
        var endpoint = network.Resource("Microsoft.Network/privateEndpoints");
        Assert.Contains("services')[copyIndex()]", endpoint.Properties.GetProperty("privateLinkServiceConnections")[0].GetProperty("properties").GetProperty("groupIds")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("privatelink.", network.Resource("Microsoft.Network/privateDnsZones").Body.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Single(network.Resources, r => r.Type == "Microsoft.Network/privateDnsZones/virtualNetworkLinks");
        Assert.Single(network.Resources, r => r.Type == "Microsoft.Network/privateEndpoints/privateDnsZoneGroups");
    }

    [Fact]
    public async Task TheFunctionApp_JoinsTheDelegatedSubnet_WhenStorageIsIsolated()
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var subnets = main.Module("network").Resource("Microsoft.Network/virtualNetworks").Properties.GetProperty("subnets");
        var app = main.Module("function-app").Resource("Microsoft.Web/sites").Properties;

        var appSubnet = subnets.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "app");
        Assert.Equal("Microsoft.App/environments", appSubnet.GetProperty("properties").GetProperty("delegations")[0].GetProperty("properties").GetProperty("serviceName").GetString());
        Assert.Contains("appSubnetId", main.Module("function-app").PassedValue("subnetId"), StringComparison.Ordinal);
        Assert.Contains("parameters('subnetId')", app.GetProperty("virtualNetworkSubnetId").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, app.GetProperty("virtualNetworkSubnetId").ValueKind);
    }
}

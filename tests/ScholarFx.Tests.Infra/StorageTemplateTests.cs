using ScholarFx.Core.Storage;
using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>The storage account: reachable with Entra ID only, holding what the app uses.</summary>
public sealed class StorageTemplateTests
{
    [Fact]
    public async Task StorageAccount_TakesNoSharedKeyAndOnlyHttpsWithTls12()
    {
        var account = (await CompiledInfra.GetAsync()).Main.Module("storage").Resource("Microsoft.Storage/storageAccounts").Properties;

        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(account.GetProperty("defaultToOAuthAuthentication").GetBoolean());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", account.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public async Task Storage_CreatesTheContainersAndTablesTheAppUses()
    {
        var storage = (await CompiledInfra.GetAsync()).Main.Module("storage");
        var main = storage.Parent!;

        // containers = the app's containers + the deployment package container (named from the app, so a runtime value).
        Assert.Contains("variables('appContainers')", storage.PassedValue("containers"), StringComparison.Ordinal);
        Assert.Equal(
            new[] { StorageNames.AbstractsContainer, StorageNames.DataContainer, StorageNames.CorpusContainer }.Order(),
            main.Evaluate(main.Json.GetProperty("variables").GetProperty("appContainers"))!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(StorageNames.Tables, storage.ParameterValue("tables")!.AsArray().Select(n => n!.GetValue<string>()));
        var queues = storage.ParameterValue("queues")!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("webjobs-blobtrigger-poison", queues);
        Assert.Contains(StorageNames.SettleQueue, queues);
        Assert.Contains(StorageNames.SettleQueue + "-poison", queues);
        Assert.Contains(StorageNames.RescoreQueue, queues);
        Assert.Contains(StorageNames.RescoreQueue + "-poison", queues);
    }

    [Fact]
    public async Task Containers_AreNotPublic()
    {
        var container = (await CompiledInfra.GetAsync()).Main.Module("storage").Resource("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Equal("None", container.Properties.GetProperty("publicAccess").GetString());
    }

    [Fact]
    public async Task EventGridSystemTopic_PublishesTheStorageAccountsEvents()
    {
        var events = (await CompiledInfra.GetAsync()).Main.Module("events");
        var topic = events.Resource("Microsoft.EventGrid/systemTopics").Properties;

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.GetProperty("topicType").GetString());
        Assert.Contains("Microsoft.Storage/storageAccounts', parameters('storageAccountName')", topic.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal(events.Parent!.Module("storage").PassedValue("name"), events.PassedValue("storageAccountName"));
    }
}

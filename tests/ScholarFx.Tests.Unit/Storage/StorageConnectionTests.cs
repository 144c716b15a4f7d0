using Azure.Identity;
using Microsoft.Extensions.Configuration;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Storage;

public sealed class StorageConnectionTests
{
    [Fact]
    public void FromConfiguration_UsesConnectionString_WhenSettingIsAString()
    {
        var connection = StorageConnection.FromConfiguration(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1")));

        Assert.True(connection.UsesConnectionString);
        Assert.Equal("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1", connection.ConnectionString);
        Assert.Null(connection.BlobServiceUri);
        Assert.Null(connection.TableServiceUri);
    }

    [Fact]
    public void FromConfiguration_ReadsIdentityBasedSettings()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://acct.blob.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://acct.queue.core.windows.net"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.False(connection.UsesConnectionString);
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.Equal("managedidentity", connection.Credential);
        Assert.Equal("00000000-0000-0000-0000-000000000001", connection.ClientId);
    }

    [Fact]
    public void FromConfiguration_RefusesIdentityBasedSettingsWithoutAQueueUri_NamingTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://acct.blob.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"))));

        Assert.Contains("__queueServiceUri", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_LeavesCredentialNull_WhenNotGiven()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://acct.blob.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://acct.queue.core.windows.net")));

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableServiceUri);
        Assert.Null(connection.Credential);
        Assert.Null(connection.ClientId);
    }

    [Fact]
    public void FromConfiguration_DerivesServiceUris_FromAccountName()
    {
        var connection = StorageConnection.FromConfiguration(Config(("AzureWebJobsStorage:accountName", "scholarfx")));

        Assert.False(connection.UsesConnectionString);
        Assert.Equal(new Uri("https://scholarfx.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://scholarfx.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://scholarfx.queue.core.windows.net"), connection.QueueServiceUri);
    }

    [Fact]
    public void FromConfiguration_PrefersExplicitUri_OverAccountName()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:accountName", "scholarfx"),
            ("AzureWebJobsStorage:tableServiceUri", "https://other.table.core.windows.net")));

        Assert.Equal(new Uri("https://other.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://scholarfx.blob.core.windows.net"), connection.BlobServiceUri);
    }

    [Fact]
    public void FromConfiguration_UsesDevelopmentStorage_WhenUnset()
    {
        var connection = StorageConnection.FromConfiguration(Config());

        Assert.True(connection.UsesConnectionString);
        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
    }

    [Fact]
    public void FromConfiguration_Throws_WhenOnlyBlobUriIsSet()
    {
        var configuration = Config(("AzureWebJobsStorage:blobServiceUri", "https://acct.blob.core.windows.net"));

        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(configuration));

        Assert.Contains("tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_Throws_WhenOnlyTableUriIsSet()
    {
        var configuration = Config(("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"));

        Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(configuration));
    }

    [Fact]
    public void CreateCredential_ReturnsManagedIdentityCredential_ForManagedIdentity()
    {
        var connection = new StorageConnection(null, new Uri("https://a.blob.core.windows.net"), new Uri("https://a.table.core.windows.net"), null, "managedidentity", "00000000-0000-0000-0000-000000000001");

        var credential = connection.CreateCredential();

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void CreateCredential_ReturnsManagedIdentityCredential_ForSystemAssignedIdentity()
    {
        var connection = new StorageConnection(null, new Uri("https://a.blob.core.windows.net"), new Uri("https://a.table.core.windows.net"), null, "ManagedIdentity", null);

        var credential = connection.CreateCredential();

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void CreateCredential_ReturnsDefaultAzureCredential_Otherwise()
    {
        var connection = new StorageConnection(null, new Uri("https://a.blob.core.windows.net"), new Uri("https://a.table.core.windows.net"), null, null, null);

        var credential = connection.CreateCredential();

        Assert.IsType<DefaultAzureCredential>(credential);
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}

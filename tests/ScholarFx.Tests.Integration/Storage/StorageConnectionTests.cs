using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Storage;
using ScholarFx.Core.Health;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Storage;

public sealed class StorageConnectionTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ConnectionStringSetting_ReachesTheAccount()
    {
        var health = await fixture.Services.GetRequiredService<IHealthService>().CheckAsync(CancellationToken.None);

        Assert.True(health.StorageReachable, health.StorageError);
    }

    [Fact]
    public void IdentityBasedSettings_BuildClientsForTheConfiguredServiceUris()
    {
        using var host = fixture.BuildHost(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = null,
            ["AzureWebJobsStorage:blobServiceUri"] = "https://scholarfxtest.blob.core.windows.net",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://scholarfxtest.table.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://scholarfxtest.queue.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        var tables = host.Services.GetRequiredService<TableServiceClient>();
        var blobs = host.Services.GetRequiredService<BlobServiceClient>();
        var queues = host.Services.GetRequiredService<QueueServiceClient>();

        Assert.Equal("scholarfxtest", tables.AccountName);
        Assert.Equal(new Uri("https://scholarfxtest.blob.core.windows.net/"), blobs.Uri);
        Assert.Equal(new Uri("https://scholarfxtest.queue.core.windows.net/"), queues.Uri);
        Assert.False(blobs.CanGenerateAccountSasUri);
        Assert.Equal("managedidentity", host.Services.GetRequiredService<StorageConnection>().Credential);
    }

    [Fact]
    public async Task UnreachableStorage_IsReportedUnhealthyNotThrown()
    {
        var port = ScholarFx.LocalHost.AzuriteProcess.FreePort();
        using var host = fixture.BuildHost(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        });

        var health = await host.Services.GetRequiredService<IHealthService>().CheckAsync(CancellationToken.None);

        Assert.False(health.StorageReachable);
        Assert.Equal("unhealthy", health.Status);
        Assert.Equal("storage could not be reached; see the function's logs", health.StorageError);
    }

    [Fact]
    public async Task StorageRefusingTheKey_IsReportedWithoutTheAccountEndpointOrExceptionText()
    {
        // The anonymous health route used to return the exception's message: account, endpoint and request details.
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var connection = fixture.Azurite.ConnectionString.Replace(
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==", wrongKey, StringComparison.Ordinal);
        Assert.NotEqual(fixture.Azurite.ConnectionString, connection);
        using var host = fixture.BuildHost(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection });

        var health = await host.Services.GetRequiredService<IHealthService>().CheckAsync(CancellationToken.None);

        Assert.False(health.StorageReachable);
        Assert.Equal("storage refused the request (403 AuthorizationFailure); see the function's logs", health.StorageError);
    }
}

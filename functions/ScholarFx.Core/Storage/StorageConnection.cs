using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace ScholarFx.Core.Storage;

/// <summary>
/// The storage account as the <c>AzureWebJobsStorage</c> setting describes it: a connection string
/// (Azurite, <c>UseDevelopmentStorage=true</c>), or identity-based settings
/// (<c>__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__queueServiceUri</c> or <c>__accountName</c>,
/// with <c>__credential</c> = <c>managedidentity</c> and <c>__clientId</c>) as the Functions host reads them.
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? BlobServiceUri, Uri? TableServiceUri, Uri? QueueServiceUri, string? Credential, string? ClientId)
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "AzureWebJobsStorage";

    /// <summary>True when the connection uses a connection string.</summary>
    public bool UsesConnectionString => ConnectionString is not null;

    /// <summary>Reads the section; an unset section means the local emulator.</summary>
    public static StorageConnection FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new StorageConnection(section.Value, null, null, null, null, null);
        }

        var account = section["accountName"];
        Uri? Service(string key, string kind) =>
            section[key] is { Length: > 0 } uri ? new Uri(uri)
            : account is { Length: > 0 } ? new Uri($"https://{account}.{kind}.core.windows.net")
            : null;

        var blob = Service("blobServiceUri", "blob");
        var table = Service("tableServiceUri", "table");
        var queue = Service("queueServiceUri", "queue");
        if (blob is null && table is null)
        {
            return new StorageConnection("UseDevelopmentStorage=true", null, null, null, null, null);
        }

        if (blob is null || table is null || queue is null)
        {
            throw new InvalidOperationException(
                "AzureWebJobsStorage: identity-based settings need __blobServiceUri, __tableServiceUri and __queueServiceUri (or __accountName); settling runs on a storage queue.");
        }

        return new StorageConnection(null, blob, table, queue, section["credential"], section["clientId"]);
    }

    /// <summary>The credential for identity-based connections: the managed identity named by clientId, else DefaultAzureCredential.</summary>
    public TokenCredential CreateCredential() =>
        string.Equals(Credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });
}

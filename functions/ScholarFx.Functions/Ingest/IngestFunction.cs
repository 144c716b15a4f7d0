using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;

namespace ScholarFx.Functions.Ingest;

/// <summary>Ingests each abstract file dropped into the <c>abstracts</c> container.</summary>
public sealed class IngestFunction(IIngestService ingest)
{
    /// <summary>
    /// Streams the blob through the ingest pipeline. The trigger listens to Event Grid (BlobCreated) because
    /// Flex Consumption has no polling blob trigger; infra/ subscribes the storage account's events to it. It binds a
    /// <see cref="BlobClient"/>, not a stream, so the service reads one version (its ETag, then the content on that
    /// condition) instead of content and an ETag read apart, between which an overwrite could slip.
    /// The LocalHost keeps calling it from its own poller. Bad records end in the receipt; an unexpected failure
    /// throws so the host retries (after 5 attempts the receipt records the blob as poison).
    /// </summary>
    [Function(nameof(Ingest))]
    public async Task Ingest(
        [BlobTrigger(StorageNames.AbstractsContainer + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = StorageConnection.SectionName)] BlobClient blob,
        CancellationToken cancellationToken)
    {
        await ingest.IngestAsync(blob.Name, cancellationToken);
    }
}

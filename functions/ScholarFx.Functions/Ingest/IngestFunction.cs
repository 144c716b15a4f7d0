using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Storage;

namespace ScholarFx.Functions.Ingest;

/// <summary>Ingests each abstract file dropped into the <c>abstracts</c> container.</summary>
public sealed class IngestFunction(IIngestService ingest)
{
    /// <summary>
    /// Streams the blob through the ingest pipeline. Bad records end in the receipt; an unexpected failure
    /// throws so the host retries (after 5 attempts the receipt records the blob as poison).
    /// </summary>
    [Function(nameof(Ingest))]
    public async Task Ingest(
        [BlobTrigger(StorageNames.AbstractsContainer + "/{name}", Connection = StorageConnection.SectionName)] Stream blob,
        string name,
        CancellationToken cancellationToken)
    {
        await ingest.IngestAsync(name, blob, cancellationToken);
    }
}

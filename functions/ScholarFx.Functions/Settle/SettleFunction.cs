using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;

namespace ScholarFx.Functions.Settle;

/// <summary>Settles what ingest left provisional, shortly after a burst of files (docs/architecture.md, When scores change).</summary>
public sealed class SettleFunction(SettleService settle)
{
    /// <summary>
    /// One message per burst of ingest batches (the requests are debounced in storage). Idempotent: a duplicate or late
    /// message finds nothing to settle. A failure throws, so the host retries and, after five, moves it to
    /// <c>settle-poison</c>; the next request, or the nightly rescore, settles anyway.
    /// </summary>
    [Function(nameof(Settle))]
    public async Task Settle(
        [QueueTrigger(StorageNames.SettleQueue, Connection = StorageConnection.SectionName)] SettleMessage message,
        CancellationToken cancellationToken)
    {
        await settle.HandleAsync(cancellationToken);
    }
}

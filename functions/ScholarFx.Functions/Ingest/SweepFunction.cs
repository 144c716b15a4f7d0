using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Ingest;

namespace ScholarFx.Functions.Ingest;

/// <summary>Every 15 minutes: finishes files whose ingest was left <c>processing</c> with no live holder.</summary>
public sealed class SweepFunction(ReceiptSweeper sweeper)
{
    /// <summary>Sweeps the unfinished receipts (see <see cref="ReceiptSweeper"/>).</summary>
    [Function(nameof(SweepReceipts))]
    public async Task SweepReceipts(
        [TimerTrigger("0 */15 * * * *")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        await sweeper.SweepAsync(cancellationToken);
    }
}

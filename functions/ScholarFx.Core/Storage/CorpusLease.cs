using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace ScholarFx.Core.Storage;

/// <summary>
/// An exclusive, self-renewing lease on a lock blob in the corpus container, so that one settling or rescore runs at a
/// time across every instance and process. A holder that dies stops renewing and the lease lapses within a minute.
/// </summary>
public sealed class CorpusLease : IAsyncDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private readonly BlobLeaseClient lease;
    private readonly CancellationTokenSource renewing = new();
    private readonly Task renewal;
    private readonly ILogger logger;

    private CorpusLease(BlobLeaseClient lease, ILogger logger)
    {
        this.lease = lease;
        this.logger = logger;
        renewal = RenewAsync(renewing.Token);
    }

    /// <summary>Takes the lease named <paramref name="name"/>, or null when another holder has it.</summary>
    public static async Task<CorpusLease?> TryAcquireAsync(ScholarFxStorage storage, string name, ILogger logger, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var blob = storage.Corpus.GetBlobClient("locks/" + name);
        if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString(name), overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                // Created (and maybe leased) by another instance at the same moment.
            }
        }

        var client = blob.GetBlobLeaseClient();
        try
        {
            await client.AcquireAsync(Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new CorpusLease(client, logger);
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
        {
            return null;
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Duration / 3, cancellationToken).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "Renewing the corpus lease {Lease} failed; another instance may take it", lease.LeaseId);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await renewing.CancelAsync().ConfigureAwait(false);
        await renewal.ConfigureAwait(false);
        renewing.Dispose();
        try
        {
            await lease.ReleaseAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Releasing the corpus lease failed; it lapses by itself within a minute");
        }
    }
}

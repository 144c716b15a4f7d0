using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.LocalHost;

/// <summary>Settings of the LocalHost (section <c>LocalHost</c>).</summary>
public sealed class LocalHostOptions
{
    /// <summary>How often the abstracts container is listed for new or changed blobs.</summary>
    public TimeSpan BlobPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Blobs ingested at once.</summary>
    public int BlobConcurrency { get; set; } = 2;
}

/// <summary>
/// Stands in for the blob trigger (in Azure an Event Grid subscription delivers BlobCreated to it; here nothing
/// does): lists <c>abstracts</c> every second and invokes <c>Ingest</c> for each new or changed blob version. Receipts make each version run once (also across restarts); a failing blob is retried
/// with back-off until the ingest service records it as poison after its attempt limit.
/// </summary>
public sealed class BlobTriggerPoller(
    IServiceProvider services,
    ScholarFxStorage storage,
    ReceiptStore receipts,
    IOptions<LocalHostOptions> options,
    ILogger<BlobTriggerPoller> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ETag> done = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset NotBefore)> backoff = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);
    private SemaphoreSlim? slots;
    private readonly FunctionDescriptor? function = FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly).FirstOrDefault(f => f.Blob is not null);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (function is null)
        {
            logger.LogWarning("No blob-triggered function found; the blob poller is idle");
            return;
        }

        logger.LogInformation("Watching container {Container} for new abstract files every {Interval}", StorageNames.AbstractsContainer, options.Value.BlobPollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Listing {Container} failed; retrying", StorageNames.AbstractsContainer);
            }

            try
            {
                await Task.Delay(options.Value.BlobPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass of the background loop: starts the ingest of every due blob not already being ingested, without waiting
    /// for it — as the Functions host triggers each blob on its own, a slow blob (one waiting out a dead invocation's
    /// lease) never holds back the others.
    /// </summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        slots ??= new SemaphoreSlim(options.Value.BlobConcurrency);
        foreach (var blob in await DueAsync(cancellationToken))
        {
            if (!inFlight.TryAdd(blob.Name, 0))
            {
                continue;
            }

            _ = Task.Run(
                async () =>
                {
                    try
                    {
                        await slots.WaitAsync(cancellationToken);
                        try
                        {
                            await IngestAsync(blob, cancellationToken);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }
                    catch (Exception) when (cancellationToken.IsCancellationRequested)
                    {
                        // The host is stopping: whatever the ingest threw on its way out is that, not a failure.
                        logger.LogInformation("Ingest of {Blob} stopped with the host; the next start resumes it from its last checkpoint", blob.Name);
                    }
                    finally
                    {
                        inFlight.TryRemove(blob.Name, out _);
                    }
                },
                CancellationToken.None);
        }
    }

    /// <summary>One pass over the container, waiting for every due blob; returns the number of blobs ingested.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var ingested = 0;
        await Parallel.ForEachAsync(await DueAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = options.Value.BlobConcurrency, CancellationToken = cancellationToken }, async (blob, ct) =>
        {
            if (await IngestAsync(blob, ct))
            {
                Interlocked.Increment(ref ingested);
            }
        });
        return ingested;
    }

    /// <summary>The blobs whose current version has not been ingested by this poller and is not backing off.</summary>
    private async Task<List<BlobItem>> DueAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var due = new List<BlobItem>();
        await foreach (var blob in storage.Abstracts.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var etag = blob.Properties.ETag ?? default;
            if (done.TryGetValue(blob.Name, out var seen) && seen == etag)
            {
                continue;
            }

            if (backoff.TryGetValue(blob.Name, out var wait) && wait.NotBefore > DateTimeOffset.UtcNow)
            {
                continue;
            }

            due.Add(blob);
        }

        return due;
    }

    private async Task<bool> IngestAsync(BlobItem blob, CancellationToken cancellationToken)
    {
        var etag = blob.Properties.ETag ?? default;
        var (receipt, _) = await receipts.GetAsync(blob.Name, etag.ToString(), cancellationToken);
        if (receipt is { IsFinal: true })
        {
            done[blob.Name] = etag;
            return false;
        }

        try
        {
            // As the host binds it: a client for the blob; the service reads one version of it on condition of its ETag.
            var client = storage.Abstracts.GetBlobClient(blob.Name);
            await FunctionCatalog.InvokeAsync(function!, services, client, new Dictionary<string, string?> { ["name"] = blob.Name }, cancellationToken);
            done[blob.Name] = etag;
            backoff.TryRemove(blob.Name, out _);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var failures = backoff.TryGetValue(blob.Name, out var previous) ? previous.Failures + 1 : 1;
            var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures)));
            backoff[blob.Name] = (failures, DateTimeOffset.UtcNow + delay);
            logger.LogError(e, "Ingest of {Blob} failed (attempt {Attempt}); retrying in {Delay}", blob.Name, failures, delay);
            return false;
        }
    }
}

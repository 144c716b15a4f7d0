using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Storage;

/// <summary>Issue 22, part 4: a holder of the settle lease that loses it stops writing before another can take it.</summary>
public sealed class CorpusLeaseTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AHolderWhoseLeaseIsBroken_SeesItLost_AtItsNextRenewal_AndAnotherCanTakeIt()
    {
        var name = TestPapers.Unique("fence");
        await using var held = await CorpusLease.TryAcquireAsync(fixture.Storage, name, TimeSpan.FromSeconds(15), NullLogger.Instance, CancellationToken.None);
        Assert.NotNull(held);
        Assert.False(held.Lost.IsCancellationRequested);
        Assert.Null(await CorpusLease.TryAcquireAsync(fixture.Storage, name, TimeSpan.FromSeconds(15), NullLogger.Instance, CancellationToken.None));

        // Taken from it (an operator, or a lease that lapsed while the holder was stalled): its next renewal fails.
        await fixture.Storage.Corpus.GetBlobClient("locks/" + name).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var lost = new TaskCompletionSource();
        using var registration = held.Lost.Register(() => lost.TrySetResult());
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await using var next = await CorpusLease.TryAcquireAsync(fixture.Storage, name, TimeSpan.FromSeconds(15), NullLogger.Instance, CancellationToken.None);
        Assert.NotNull(next);
        Assert.False(next.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task AHolderThatRenews_KeepsWriting_PastTheFirstLeasesLength()
    {
        // A 15 s lease: renewed every 5 s, each renewal moves the point where the holder would stop (11.25 s on) on.
        var name = TestPapers.Unique("deadline");
        var started = DateTimeOffset.UtcNow;
        await using var held = await CorpusLease.TryAcquireAsync(fixture.Storage, name, TimeSpan.FromSeconds(15), NullLogger.Instance, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(16));
        Assert.False(held!.Lost.IsCancellationRequested, $"lost after {(DateTimeOffset.UtcNow - started).TotalSeconds:F1} s though renewed");
    }

    [Fact]
    public async Task UnderTheFence_NothingIsSent_OnceTheHolderCannotBeSureOfItsLease_WhateverTokenARequestCarries()
    {
        // A holder whose renewals never come back (held here, as they would be in a stalled process or a lost network):
        // 11.25 s after it took a 15 s lease it can no longer be sure it holds it. Requests sent under the fence before
        // that go out; after it none does — even one whose token is not the lease's.
        var stalled = new StalledRenewals();
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o =>
        {
            o.AddPolicy(stalled, HttpPipelinePosition.PerCall);
            // A refused request carrying no cancelled token is retried (and refused again each time): briefly.
            o.Retry.Delay = TimeSpan.FromMilliseconds(5);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        })));
        var storage = host.Services.GetRequiredService<ScholarFxStorage>();
        var name = TestPapers.Unique("stalled");
        var blob = storage.Corpus.GetBlobClient("fence/" + name);
        await using var held = await CorpusLease.TryAcquireAsync(storage, name, TimeSpan.FromSeconds(15), NullLogger.Instance, CancellationToken.None);
        Assert.NotNull(held);
        Exception? refused;
        using (LeaseFence.Enter(held))
        {
            await blob.UploadAsync(BinaryData.FromString("before"), overwrite: true, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(12));
            refused = await Record.ExceptionAsync(() => blob.UploadAsync(BinaryData.FromString("after"), overwrite: true, CancellationToken.None));
        }

        Assert.True(stalled.Held > 0, "no renewal was held");
        // Refused as the lease lost (a cancellation), not retried into an aggregate of refusals.
        Assert.IsAssignableFrom<OperationCanceledException>(refused);
        Assert.True(held.Lost.IsCancellationRequested);
        Assert.Equal("before", (await blob.DownloadContentAsync()).Value.Content.ToString());

        // Outside the fence the same clients send as usual.
        await blob.UploadAsync(BinaryData.FromString("outside"), overwrite: true, CancellationToken.None);
        Assert.Equal("outside", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    /// <summary>Holds every lease renewal until its caller gives up (the holder stops renewing when it is disposed).</summary>
    private sealed class StalledRenewals : HttpPipelinePolicy
    {
        private int held;

        public int Held => held;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Headers.TryGetValue("x-ms-lease-action", out var action) && action == "renew")
            {
                Interlocked.Increment(ref held);
                await Task.Delay(Timeout.Infinite, message.CancellationToken).ConfigureAwait(false);
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }
}

using Azure.Storage.Blobs.Specialized;
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
}

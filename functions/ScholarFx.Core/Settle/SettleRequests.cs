using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Settle;

/// <summary>The message on the settle queue: a request to settle, and when it was made.</summary>
public sealed record SettleMessage(DateTimeOffset RequestedAt);

/// <summary>What a settle message should do now.</summary>
public enum SettleDecision
{
    /// <summary>Everything requested is settled.</summary>
    Nothing,

    /// <summary>Requests are still arriving (a burst of files): look again after a quiet period.</summary>
    Wait,

    /// <summary>Settle now.</summary>
    Settle,
}

/// <summary>
/// Debounces settling: every ingest batch records a request (a generation counter in the <c>Stats</c> table) and puts a
/// message on the <c>settle</c> queue only when none is pending, so a burst of files leads to one message. The message
/// settles once no request came for <see cref="SettleOptions.QuietSeconds"/>, or once the oldest unsettled request is
/// <see cref="SettleOptions.MaxDelaySeconds"/> old, whichever is first. Conditional writes (ETag) keep concurrent
/// requesters and settlers from losing a request.
/// </summary>
public sealed class SettleRequests(ScholarFxStorage storage, IOptions<SettleOptions> options, TimeProvider clock)
{
    private const string Partition = "stats";
    private const string Row = "settle";
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(60);

    /// <summary>The requests as the row records them.</summary>
    public sealed record State(long Generation, long Settled, DateTimeOffset? FirstRequest, DateTimeOffset? LastRequest, DateTimeOffset? PendingUntil);

    /// <summary>Records a request; enqueues a message unless one is pending.</summary>
    public async Task RequestAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var quiet = TimeSpan.FromSeconds(options.Value.QuietSeconds);
        var enqueue = await UpdateAsync(
            s =>
            {
                var pending = s.PendingUntil is { } until && until > now;
                var first = s.Generation == s.Settled ? now : s.FirstRequest ?? now;
                return (s with { Generation = s.Generation + 1, FirstRequest = first, LastRequest = now, PendingUntil = pending ? s.PendingUntil : now + quiet + Slack }, !pending);
            },
            cancellationToken).ConfigureAwait(false);
        if (enqueue)
        {
            await SendAsync(quiet, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What to do with a message now, and the generation a settle now would cover.</summary>
    public async Task<(SettleDecision Decision, TimeSpan Wait, long Generation)> DecideAsync(CancellationToken cancellationToken)
    {
        var s = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (s.State.Generation <= s.State.Settled)
        {
            return (SettleDecision.Nothing, TimeSpan.Zero, s.State.Generation);
        }

        var now = clock.GetUtcNow();
        var quietFor = now - (s.State.LastRequest ?? now);
        var waited = now - (s.State.FirstRequest ?? now);
        var quiet = TimeSpan.FromSeconds(options.Value.QuietSeconds);
        var maxDelay = TimeSpan.FromSeconds(options.Value.MaxDelaySeconds);
        return quietFor < quiet && waited < maxDelay
            ? (SettleDecision.Wait, Min(quiet - quietFor, maxDelay - waited), s.State.Generation)
            : (SettleDecision.Settle, TimeSpan.Zero, s.State.Generation);
    }

    /// <summary>Puts the message back on the queue to be seen again after <paramref name="delay"/>.</summary>
    public async Task PostponeAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await UpdateAsync(s => (s with { PendingUntil = now + delay + Slack }, true), cancellationToken).ConfigureAwait(false);
        await SendAsync(delay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that every request up to <paramref name="generation"/> is settled; enqueues a message for any that came since.</summary>
    public async Task CompleteAsync(long generation, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var quiet = TimeSpan.FromSeconds(options.Value.QuietSeconds);
        var more = await UpdateAsync(
            s =>
            {
                var settled = Math.Max(s.Settled, generation);
                var more = s.Generation > settled;
                return (s with
                {
                    Settled = settled,
                    FirstRequest = more ? s.LastRequest : null,
                    PendingUntil = more ? now + quiet + Slack : null,
                }, more);
            },
            cancellationToken).ConfigureAwait(false);
        if (more)
        {
            await SendAsync(quiet, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a round that had to leave papers for files still being ingested: the requests stay unsettled and are
    /// treated as a burst starting now — looked at again after a quiet period, settled then or after the longest delay.
    /// </summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var quiet = TimeSpan.FromSeconds(options.Value.QuietSeconds);
        await UpdateAsync(s => (s with { FirstRequest = now, PendingUntil = now + quiet + Slack }, true), cancellationToken).ConfigureAwait(false);
        await SendAsync(quiet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of requests (for health).</summary>
    public async Task<State> GetAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken).ConfigureAwait(false)).State;

    private async Task SendAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new SettleMessage(clock.GetUtcNow()), ScholarFxJson.Options);
        await storage.SettleQueue.SendMessageAsync(body, visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<(State State, ETag ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return (new State(0, 0, null, null, null), default);
        }

        var e = row.Value!;
        return (new State(e.GetInt64("Generation") ?? 0, e.GetInt64("Settled") ?? 0, e.GetDateTimeOffset("FirstRequest"), e.GetDateTimeOffset("LastRequest"), e.GetDateTimeOffset("PendingUntil")), e.ETag);
    }

    private async Task<T> UpdateAsync<T>(Func<State, (State State, T Result)> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (state, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var (next, result) = change(state);
            var entity = new TableEntity(Partition, Row)
            {
                ["Generation"] = next.Generation,
                ["Settled"] = next.Settled,
                ["FirstRequest"] = next.FirstRequest,
                ["LastRequest"] = next.LastRequest,
                ["PendingUntil"] = next.PendingUntil,
            };
            try
            {
                if (etag == default)
                {
                    await storage.Stats.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await storage.Stats.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return result;
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                await Task.Delay(Random.Shared.Next(1, 20), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.View;

namespace ScholarFx.Core.Discovery;

/// <summary>
/// What anonymous meaning queries may cost (each embeds the text and scans the whole index, under the corpus view's
/// lock that scoring also needs): an identical query is answered from memory while the corpus is unchanged; a query
/// that has to be computed spends a token of its client's bucket (<see cref="ApiOptions.AnonymousQueriesPerMinute"/>)
/// and waits for one of <see cref="ApiOptions.AnonymousQueryConcurrency"/> places, so a flood is refused with a time to
/// retry instead of queueing without bound.
/// </summary>
internal sealed class QueryBudget : IDisposable
{
    /// <summary>Queries waiting for a place before the next one is refused.</summary>
    public const int QueueLimit = 32;

    private readonly ConcurrentDictionary<string, (object? Value, DateTimeOffset At)> answers = new(StringComparer.Ordinal);
    private readonly Func<string> corpusVersion;
    private readonly TimeProvider clock;
    private readonly ApiOptions options;
    private readonly PartitionedRateLimiter<string> perClient;
    private readonly ConcurrencyLimiter places;

    public QueryBudget(CorpusView view, IOptions<ApiOptions> options, TimeProvider clock)
        : this(() => view.Version, options.Value, clock)
    {
    }

    /// <summary>A budget whose answers are kept while <paramref name="corpusVersion"/> is unchanged.</summary>
    internal QueryBudget(Func<string> corpusVersion, ApiOptions options, TimeProvider clock)
    {
        this.corpusVersion = corpusVersion;
        this.clock = clock;
        this.options = options;
        var perMinute = this.options.AnonymousQueriesPerMinute;
        // A token back every 60/n seconds, up to n: a client may spend a minute's worth at once, then one per interval.
        perClient = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        places = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = this.options.AnonymousQueryConcurrency,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>
    /// The answer of the query <paramref name="key"/> (its normalised arguments): from memory when the same query was
    /// answered on the same corpus within the cache time, else computed by <paramref name="compute"/> if
    /// <paramref name="client"/> (null: a trusted caller) has a token left and a place is free, else refused with when to retry.
    /// </summary>
    public async Task<QueryResult<T>> AnswerAsync<T>(string key, string? client, Func<CancellationToken, Task<QueryResult<T>>> compute, CancellationToken cancellationToken)
    {
        var versioned = key + "\u001f" + corpusVersion();
        var now = clock.GetUtcNow();
        if (answers.TryGetValue(versioned, out var cached) && now - cached.At < TimeSpan.FromSeconds(options.CacheSeconds))
        {
            return QueryResult<T>.Ok((T?)cached.Value);
        }

        // A place first, then the client's token: a query refused because too many run at once spends no token.
        using var place = await places.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!place.IsAcquired)
        {
            return QueryResult<T>.Refused(TimeSpan.FromSeconds(1), "too many queries by meaning at once; try again shortly");
        }

        if (client is not null)
        {
            using var token = perClient.AttemptAcquire(client);
            if (!token.IsAcquired)
            {
                return QueryResult<T>.Refused(RetryAfter(token), $"more than {options.AnonymousQueriesPerMinute} queries by meaning a minute from one client; identical queries are answered from the cache");
            }
        }

        var result = await compute(cancellationToken).ConfigureAwait(false);
        if (result.Problem is null)
        {
            // Kept under the version the view has now: computing it may have loaded or caught the view up.
            Remember(key + "\u001f" + corpusVersion(), result.Value, now);
        }

        return result;
    }

    /// <summary>Text as a cache key: cleaned, words on single spaces, lower case (the model is uncased).</summary>
    public static string Normalise(string? text) => AuthorKey.CollapseWhitespace(text ?? "").ToLowerInvariant();

    public void Dispose()
    {
        perClient.Dispose();
        places.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);

    private void Remember(string key, object? value, DateTimeOffset now)
    {
        if (answers.Count >= options.QueryCacheEntries)
        {
            // Bounded: drop what has expired, and everything if that is not enough (answers are cheap to recompute once).
            var expiry = now - TimeSpan.FromSeconds(options.CacheSeconds);
            foreach (var old in answers.Where(a => a.Value.At < expiry).Select(a => a.Key).ToList())
            {
                answers.TryRemove(old, out _);
            }

            if (answers.Count >= options.QueryCacheEntries)
            {
                answers.Clear();
            }
        }

        answers[key] = (value, now);
    }
}

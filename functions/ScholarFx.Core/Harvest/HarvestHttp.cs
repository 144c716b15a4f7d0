using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScholarFx.Core.Harvest;

/// <summary>
/// Fetches one page from a source, politely: every request waits for the source's <see cref="PolitenessGate"/>; a 503
/// or 429 (and, for sources that say so, a 403) with <c>Retry-After</c> waits what it asks (up to
/// <see cref="HarvestOptions.MaxRetryAfterSeconds"/>); transient failures (5xx, 408, a dropped connection, a timeout)
/// back off exponentially up to <see cref="HarvestOptions.MaxBackoffSeconds"/>. The client is the named
/// <see cref="ClientName"/> client of <see cref="IHttpClientFactory"/> (User-Agent <c>ScholarFx/1.0 (+mailto:…)</c>),
/// asked for per request, since this service lives as long as the app.
/// </summary>
internal sealed class HarvestHttp(IHttpClientFactory clients, IOptions<HarvestOptions> options, HarvestClock clock, ILogger<HarvestHttp> logger)
{
    /// <summary>The name of the harvest's HttpClient.</summary>
    public const string ClientName = "harvest";

    /// <summary>Largest page read, bytes (an arXiv page of 3,500 records is about 10 MB).</summary>
    public const int MaxPageBytes = 128 * 1024 * 1024;

    /// <summary>How long one request may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The User-Agent: the product and, when known, a contact address.</summary>
    public static string UserAgent(string? contact) =>
        string.IsNullOrWhiteSpace(contact) ? "ScholarFx/1.0" : $"ScholarFx/1.0 (+mailto:{contact.Trim()})";

    /// <summary>Sets up the named client.</summary>
    public static void Configure(HttpClient client, string? contact)
    {
        client.Timeout = RequestTimeout;
        client.MaxResponseContentBufferSize = MaxPageBytes;
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent(contact));
    }

    /// <summary>Back-off before attempt <paramref name="attempt"/> + 1: 2 s, 4 s, 8 s, … up to <paramref name="cap"/>.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan cap)
    {
        var seconds = Math.Pow(2, Math.Clamp(attempt, 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, cap.TotalSeconds));
    }

    /// <summary>The page's bytes; throws <see cref="HarvestStoppedException"/> when the source refuses or every attempt failed.</summary>
    public async Task<byte[]> GetAsync(HarvestSource source, Uri url, int page, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cap = TimeSpan.FromSeconds(settings.MaxBackoffSeconds);
        string? last = null;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            await source.Gate.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var client = clients.CreateClient(ClientName);
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                }

                var status = (int)response.StatusCode;
                last = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
                var limited = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests
                    || (response.StatusCode == HttpStatusCode.Forbidden && source.ForbiddenMeansRateLimit);
                if (!limited && !Transient(response.StatusCode))
                {
                    throw new HarvestStoppedException($"page {page}: the source answered {last}");
                }

                if (limited && RetryAfter(response.Headers) is { } wait)
                {
                    if (wait > TimeSpan.FromSeconds(settings.MaxRetryAfterSeconds))
                    {
                        throw new HarvestStoppedException(
                            $"page {page}: the source answered {last} and asked to wait {wait.TotalSeconds:0} s, longer than Harvest__MaxRetryAfterSeconds ({settings.MaxRetryAfterSeconds} s); the next run resumes here");
                    }

                    logger.LogInformation("Harvest {Source} page {Page}: {Status}, waiting the {Seconds} s Retry-After asks for (attempt {Attempt})", source.Name, page, status, wait.TotalSeconds, attempt);
                    source.Gate.Defer(wait);
                    continue;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e is TaskCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : e.Message;
            }

            var backoff = Backoff(attempt, cap);
            logger.LogWarning("Harvest {Source} page {Page}: attempt {Attempt} failed ({Problem}); backing off {Seconds} s", source.Name, page, attempt, last, backoff.TotalSeconds);
            source.Gate.Defer(backoff);
        }

        throw new HarvestStoppedException($"page {page}: gave up after {settings.MaxAttempts} attempts; the last: {last}");
    }

    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    private TimeSpan? RetryAfter(HttpResponseHeaders headers) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > clock.Now ? date - clock.Now : TimeSpan.Zero,
        _ => null,
    };
}

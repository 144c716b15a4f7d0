using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Profiles;

/// <summary>Settings of profile reads (section <c>Profiles</c>).</summary>
public sealed class ProfileOptions
{
    /// <summary>Papers in a profile's first page and the default <c>top</c> of paper pages.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 20;

    /// <summary>Largest <c>top</c> a caller may ask for.</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// Calendar years of a profile's <c>recent</c> figures, counted back from the current year: 5 in 2026 gives "since
    /// 2021", as Google Scholar's "since" column does.
    /// </summary>
    [Range(1, 100)]
    public int RecentYears { get; set; } = 5;

    /// <summary>
    /// Paper rows of the aggregates this process last committed that it keeps in memory (their ledgers and ETags), so
    /// the next change of a recently written author — settling right after ingest — commits without reading the
    /// aggregate again. A conditional write on the kept ETag makes a stale entry cost one failed request, never a wrong
    /// profile. 0 keeps none. About 1 KiB a row.
    /// </summary>
    [Range(0, 10_000_000)]
    public int CachedLedgerRows { get; set; } = 200_000;
}

/// <summary>Settings of the HTTP API (section <c>Api</c>).</summary>
public sealed class ApiOptions : IValidatableObject
{
    /// <summary>
    /// The public address of the service (<c>https://scholarfx.example.org</c>) used where a link must be absolute: feed
    /// ids and links, badge snippets. Never taken from the request's <c>Host</c> header, which a caller chooses and a
    /// shared cache would keep; empty renders relative links and <c>tag:</c> feed ids.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>
    /// Who may frame the SVG badge (<c>frame-ancestors</c> of its Content-Security-Policy): <c>*</c> for any site, or
    /// a space-separated list of origins, or <c>'none'</c>. Pages are never framed.
    /// </summary>
    [RegularExpression(@"^(\*|'none'|'self'|https?://[A-Za-z0-9.\-:*]+)( (\*|'self'|https?://[A-Za-z0-9.\-:*]+))*$")]
    public string BadgeFrameAncestors { get; set; } = "*";

    /// <summary><c>Cache-Control: public, max-age</c> of anonymous GETs, in seconds.</summary>
    [Range(0, 31_536_000)]
    public int CacheSeconds { get; set; } = 60;

    /// <summary>Origins allowed to read the API from a browser (CORS); <c>*</c> for any.</summary>
    public string CorsAllowedOrigins { get; set; } = "*";

    /// <summary>Largest body <c>POST /api/abstracts</c> accepts (default 100 MiB, the Functions host's own request limit).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Queries by meaning (<c>/api/papers?q=</c>, <c>/api/papers/{id}/similar</c>, <c>/api/profiles?topic=</c>) one
    /// client address may have computed per minute; past it, 429 with <c>Retry-After</c>. Answers from the cache are free.
    /// </summary>
    [Range(1, 100_000)]
    public int AnonymousQueriesPerMinute { get; set; } = 60;

    /// <summary>Queries by meaning computed at once in a process; up to 32 more wait, the rest are refused (429).</summary>
    [Range(1, 64)]
    public int AnonymousQueryConcurrency { get; set; } = 2;

    /// <summary>Answers to queries by meaning kept in memory (each for <see cref="CacheSeconds"/> while the corpus is unchanged).</summary>
    [Range(1, 1_000_000)]
    public int QueryCacheEntries { get; set; } = 1_000;

    /// <summary><see cref="PublicBaseUrl"/> without its trailing slash; empty when not set.</summary>
    public string PublicBase => PublicBaseUrl.TrimEnd('/');

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl.Length > 0
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0))
        {
            yield return new ValidationResult(
                $"Api:PublicBaseUrl must be an absolute http(s) address without query, fragment or user ('{PublicBaseUrl}' is not)",
                [nameof(PublicBaseUrl)]);
        }
    }
}

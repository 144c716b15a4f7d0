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
}

/// <summary>Settings of the HTTP API (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary><c>Cache-Control: public, max-age</c> of anonymous GETs, in seconds.</summary>
    [Range(0, 31_536_000)]
    public int CacheSeconds { get; set; } = 60;

    /// <summary>Origins allowed to read the API from a browser (CORS); <c>*</c> for any.</summary>
    public string CorsAllowedOrigins { get; set; } = "*";

    /// <summary>Largest body <c>POST /api/abstracts</c> accepts (default 100 MiB, the Functions host's own request limit).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScholarFx.Core;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>Shapes HTTP responses: JSON with ETag/304/Cache-Control/CORS, and RFC 7807 problem JSON.</summary>
public static class ApiResults
{
    /// <summary>A JSON body already rendered (a stored profile) with its entity tag.</summary>
    public static IActionResult Json(HttpRequest request, string json, string etag, ApiOptions options, bool cacheable = true, bool conditional = true) =>
        Content(request, json, "application/json; charset=utf-8", etag, options, cacheable, conditional);

    /// <summary>
    /// A page, badge or feed (<see cref="PageResult"/>): a 200 with ETag/304 and caching like the JSON, a 301 with its
    /// Location, or an error page that is not cached.
    /// </summary>
    public static IActionResult Page(HttpRequest request, PageResult page, ApiOptions options)
    {
        ResponseDefences.ForPage(request.HttpContext.Response, page.ContentType, options);
        if (page.Location is { } location)
        {
            request.HttpContext.Response.Headers.Location = location;
            request.HttpContext.Response.Headers.CacheControl = $"public, max-age={options.CacheSeconds}";
            return new StatusCodeResult(page.Status);
        }

        if (page.RetryAfter is { } after)
        {
            request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return page.Status == StatusCodes.Status200OK
            ? Content(request, page.Body, page.ContentType, Tag(page.Body), options)
            : new ContentResult { Content = page.Body, ContentType = page.ContentType, StatusCode = page.Status };
    }

    /// <summary>
    /// The absolute base of links that leave the site (badge snippets, feed ids): the configured public address, never
    /// the request's <c>Host</c> header (a caller chooses it, and the answer is cached <c>public</c>); empty for relative links.
    /// </summary>
    public static string BaseUrl(ApiOptions options) => options.PublicBase;

    private static IActionResult Content(HttpRequest request, string body, string contentType, string etag, ApiOptions options, bool cacheable = true, bool conditional = true)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = cacheable ? $"public, max-age={options.CacheSeconds}" : "no-store";
        headers.Vary = "Origin";
        AllowCors(request, options);
        if (conditional && Matches(request.Headers.IfNoneMatch, etag))
        {
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }

        return new ContentResult { Content = body, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
    }

    /// <summary>A value serialised as camelCase JSON, tagged by a hash of its content.</summary>
    public static IActionResult Json<T>(HttpRequest request, T value, ApiOptions options, bool cacheable = true, bool conditional = true)
    {
        var json = JsonSerializer.Serialize(value, ScholarFxJson.Options);
        return Json(request, json, Tag(json), options, cacheable, conditional);
    }

    /// <summary>RFC 7807 problem JSON.</summary>
    public static IActionResult Problem(HttpRequest request, int status, string title, string detail, ApiOptions? options = null)
    {
        if (options is not null)
        {
            AllowCors(request, options);
        }

        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
            // The path alone: the query may hold a function key (?code=), which an answer must never repeat.
            Instance = request.Path.Value,
        };
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    /// <summary>
    /// 301 to where a resource now is (an author id merged into another profile), with the new location in the body
    /// too, so a client that does not follow redirects still learns it.
    /// </summary>
    public static IActionResult MovedTo(HttpRequest request, string location, ApiOptions options)
    {
        AllowCors(request, options);
        request.HttpContext.Response.Headers.Location = location;
        request.HttpContext.Response.Headers.CacheControl = $"public, max-age={options.CacheSeconds}";
        return new ContentResult
        {
            Content = JsonSerializer.Serialize(new Bodies.MovedBody(location), ScholarFxJson.Options),
            ContentType = "application/json; charset=utf-8",
            StatusCode = StatusCodes.Status301MovedPermanently,
        };
    }

    /// <summary>
    /// A query's problem as its answer: 429 with <c>Retry-After</c> when it was refused for now (the client's budget or
    /// the process's places for costly queries), otherwise 400.
    /// </summary>
    public static IActionResult Refusal(HttpRequest request, string problem, TimeSpan? retryAfter, ApiOptions options)
    {
        if (retryAfter is not { } after)
        {
            return BadRequest(request, problem, options);
        }

        request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(request, StatusCodes.Status429TooManyRequests, "Too many requests", problem, options);
    }

    /// <summary>
    /// The caller's address, for per-client limits: the last entry of <c>X-Forwarded-For</c> (the one the platform's
    /// front end added; earlier entries come from the caller and can be forged), else the connection's address.
    /// </summary>
    public static string ClientAddress(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return last is { Length: > 0 and <= 64 } ? last : request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>
    /// A page of one author's list (their papers, their identity history): the request's <c>top</c> and <c>cursor</c>
    /// handed to <paramref name="read"/> with the author id; 400 problem JSON for a bad one, 404 (<paramref name="notFound"/>)
    /// when the author has none, else the page as <paramref name="body"/> shapes it.
    /// </summary>
    public static async Task<IActionResult> AuthorPageAsync<T>(
        HttpRequest request,
        string authorId,
        Func<string, string, int?, Task<QueryResult<Page<T>>>> read,
        Func<Page<T>, object> body,
        Func<string, string> notFound,
        ApiOptions options,
        bool cacheable = true)
    {
        if (!TryGetInt(request, "top", out var top))
        {
            return BadRequest(request, "top must be a whole number", options);
        }

        var id = AuthorId(authorId);
        var result = await read(id, request.Query["cursor"].ToString(), top);
        if (result.Problem is not null)
        {
            return BadRequest(request, result.Problem, options);
        }

        return result.Value is null
            ? NotFound(request, notFound(id), options)
            : Json(request, body(result.Value), options, cacheable, conditional: cacheable);
    }

    /// <summary>404 problem JSON.</summary>
    public static IActionResult NotFound(HttpRequest request, string detail, ApiOptions options) =>
        Problem(request, StatusCodes.Status404NotFound, "Not found", detail, options);

    /// <summary>400 problem JSON.</summary>
    public static IActionResult BadRequest(HttpRequest request, string detail, ApiOptions options) =>
        Problem(request, StatusCodes.Status400BadRequest, "Bad request", detail, options);

    /// <summary>An author id from a route: slugs never contain <c>%</c>, so any percent-encoding left is decoded.</summary>
    public static string AuthorId(string value) =>
        value.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(value) : value;

    /// <summary>
    /// A route value as the caller meant it. Ids travel percent-encoded (<c>doi%3A10.1000%2Fxyz</c>); the server
    /// decodes the path except <c>%2F</c>, so a value still holding <c>%3A</c> is raw and decoded whole, and
    /// otherwise only the <c>%2F</c> the server left is decoded (a literal <c>%</c> in an id is never decoded twice).
    /// </summary>
    public static string RouteValue(string value) =>
        value.Contains("%3A", StringComparison.OrdinalIgnoreCase) ? Uri.UnescapeDataString(value)
        : value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>An optional positive integer query parameter; false when present but not a number.</summary>
    public static bool TryGetInt(HttpRequest request, string name, out int? value)
    {
        value = null;
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static string Tag(string json) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..32] + "\"";

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            foreach (var candidate in (header ?? "").Split(','))
            {
                var tag = candidate.Trim();
                if (tag == "*" || tag == etag || (tag.StartsWith("W/", StringComparison.Ordinal) && tag[2..] == etag))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void AllowCors(HttpRequest request, ApiOptions options)
    {
        var headers = request.HttpContext.Response.Headers;
        var origin = request.Headers.Origin.ToString();
        var allowed = options.CorsAllowedOrigins.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (allowed.Contains("*"))
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else if (origin.Length > 0 && allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            headers.AccessControlAllowOrigin = origin;
        }

        headers.AccessControlExposeHeaders = "ETag";
    }
}

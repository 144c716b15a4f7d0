using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScholarFx.Core;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>
/// What every HTTP answer carries whatever the function did: <c>nosniff</c> and a Content-Security-Policy (pages and
/// badges get their own), and for an exception no function handled, a problem JSON 500 with a correlation id and no
/// internals. Used by the worker's middleware (<see cref="HttpEnvelopeMiddleware"/>) and by the LocalHost, so both answer alike.
/// </summary>
public static class ResponseDefences
{
    /// <summary>The headers of every response, set before the function runs (a page replaces the policy).</summary>
    public static void ForEveryResponse(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = PageSecurity.None;
    }

    /// <summary>The policy of a page or badge of <paramref name="contentType"/>; pages also send no referrer and refuse frames.</summary>
    public static void ForPage(HttpResponse response, string contentType, ApiOptions options)
    {
        response.Headers.ContentSecurityPolicy = PageSecurity.For(contentType, options.BadgeFrameAncestors);
        if (contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.XFrameOptions = "DENY";
        }
    }

    /// <summary>
    /// Logs <paramref name="exception"/> with a correlation id and answers 500 problem JSON naming only that id. False
    /// when the response had already started (nothing can be said then; the caller rethrows so the host ends it).
    /// </summary>
    public static async Task<bool> TryAnswerUnhandledAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var correlationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        logger.LogError(exception, "Unhandled exception answering {Method} {Path}; correlation id {CorrelationId}", context.Request.Method, context.Request.Path.Value, correlationId);
        if (context.Response.HasStarted)
        {
            return false;
        }

        context.Response.Clear();
        ForEveryResponse(context.Response);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var problem = new
        {
            type = "https://httpstatuses.io/500",
            title = "Internal error",
            status = StatusCodes.Status500InternalServerError,
            detail = "The service could not answer this request. Quote the correlation id if you report it.",
            instance = context.Request.Path.Value,
            correlationId,
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ScholarFxJson.Options, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}

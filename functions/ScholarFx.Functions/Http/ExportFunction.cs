using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>Bulk export for institutions: every profile, one JSON object per line.</summary>
public sealed class ExportFunction(IProfileQueries profiles, ILogger<ExportFunction> logger)
{
    /// <summary>
    /// GET /api/export/profiles.jsonl (function key): every profile as <c>GET /api/profiles/{id}</c> serves it, one
    /// per line (JSON Lines), streamed while the aggregate rows are read, so memory stays flat whatever the corpus size.
    /// </summary>
    [Function(nameof(ExportProfiles))]
    public IActionResult ExportProfiles(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/export/profiles.jsonl")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new JsonLinesResult(profiles.ExportAsync(cancellationToken), "profiles.jsonl", logger);
}

/// <summary>Writes lines to the response as they come, flushing every few hundred.</summary>
public sealed class JsonLinesResult(IAsyncEnumerable<string> lines, string fileName, ILogger logger) : IActionResult
{
    private const int FlushEvery = 200;

    /// <summary>Media type of JSON Lines.</summary>
    public const string ContentType = "application/x-ndjson; charset=utf-8";

    /// <inheritdoc/>
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
        var count = 0;
        var newline = "\n"u8.ToArray();
        await foreach (var line in lines.WithCancellation(context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.HttpContext.RequestAborted).ConfigureAwait(false);
            await response.Body.WriteAsync(newline, context.HttpContext.RequestAborted).ConfigureAwait(false);
            if (++count % FlushEvery == 0)
            {
                await response.Body.FlushAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
            }
        }

        logger.LogInformation("Exported {Count} lines of {File}", count, fileName);
    }
}

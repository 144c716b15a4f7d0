using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace ScholarFx.Functions.Http;

/// <summary>
/// The worker's middleware around every HTTP function (<see cref="ResponseDefences"/>): defence headers on every
/// answer, and an unhandled exception answered as problem JSON 500 instead of the host's bare 500. Other triggers pass
/// through untouched: their exceptions must reach the host, which retries them.
/// </summary>
public sealed class HttpEnvelopeMiddleware(ILogger<HttpEnvelopeMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <inheritdoc/>
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        ResponseDefences.ForEveryResponse(http.Response);
        try
        {
            await next(context);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            if (!await ResponseDefences.TryAnswerUnhandledAsync(http, e, logger))
            {
                throw;
            }
        }
    }
}

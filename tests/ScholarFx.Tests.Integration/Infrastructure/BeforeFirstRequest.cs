using Azure.Core;
using Azure.Core.Pipeline;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// A pipeline policy that, before the first request matching <c>match</c> goes out, runs <c>first</c> to completion (a
/// second writer's ingest, an overwrite of the blob being read): it makes a race certain instead of leaving it to timing.
/// </summary>
public sealed class BeforeFirstRequest(Func<HttpMessage, bool> match, Func<Task> first) : HttpPipelinePolicy
{
    private int ran;

    /// <summary>Whether a request matched and <c>first</c> ran.</summary>
    public bool Ran => ran == 1;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (match(message) && Interlocked.Exchange(ref ran, 1) == 0)
        {
            await first().ConfigureAwait(false);
        }

        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }
}

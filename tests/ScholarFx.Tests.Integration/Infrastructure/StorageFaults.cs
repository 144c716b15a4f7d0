using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>The kinds of fault <see cref="StorageFaults"/> injects.</summary>
public enum StorageFault
{
    /// <summary>503 Server Busy, as a throttled or failing-over account answers.</summary>
    ServerBusy,

    /// <summary>429 with <c>Retry-After: 1</c>.</summary>
    TooManyRequests,

    /// <summary>The connection drops before an answer (an <see cref="IOException"/> from the transport).</summary>
    DroppedConnection,

    /// <summary>The request is sent, its effect happens, and the answer is lost (a timeout after success).</summary>
    LostAnswer,

    /// <summary>The answer comes, two seconds late.</summary>
    Slow,
}

/// <summary>
/// A pipeline policy on every storage client of a host (through <see cref="StorageClientSetup"/>) that fails the next
/// <c>count</c> requests matching a rule, each retry included, with one <see cref="StorageFault"/>; the rest go to
/// Azurite untouched. The clients' retry delays are shortened so a test can exhaust them quickly.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly object gate = new();
    private Func<HttpMessage, bool> rule = _ => false;
    private StorageFault fault;
    private int remaining;

    /// <summary>Requests failed so far.</summary>
    public int Injected { get; private set; }

    /// <summary>Registers the policy (and short retry delays) on the storage clients the host builds.</summary>
    public void AddTo(IHostApplicationBuilder builder) =>
        builder.Services.AddSingleton(new StorageClientSetup(options =>
        {
            options.AddPolicy(this, HttpPipelinePosition.PerRetry);
            options.Retry.Delay = TimeSpan.FromMilliseconds(5);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        }));

    /// <summary>Fails the next <paramref name="count"/> requests that match <paramref name="match"/> with <paramref name="kind"/>.</summary>
    public void Arm(StorageFault kind, Func<HttpMessage, bool> match, int count)
    {
        lock (gate)
        {
            rule = match;
            fault = kind;
            remaining = count;
        }
    }

    /// <summary>Requests to one table (<c>papers</c>, <c>authors</c>, …) that change it (anything but GET).</summary>
    public static Func<HttpMessage, bool> WritesTo(string table) => m =>
        m.Request.Method != RequestMethod.Get && Path(m).Contains(table, StringComparison.OrdinalIgnoreCase);

    /// <summary>Transactions (<c>$batch</c>) on <paramref name="table"/>: the table is named in the body's operations.</summary>
    public static Func<HttpMessage, bool> TransactionsOn(string table) => m =>
    {
        if (!Path(m).Contains("$batch", StringComparison.Ordinal) || m.Request.Content is not { } content)
        {
            return false;
        }

        using var body = new MemoryStream();
        content.WriteTo(body, CancellationToken.None);
        // Each operation's request line names the table: "/Table(keys)" to change an entity, "/Table " or "/Table?" to add one.
        var text = System.Text.Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        return new[] { "(", " ", "?" }.Any(end => text.Contains("/" + table + end, StringComparison.Ordinal));
    };

    /// <summary>Requests whose path contains <paramref name="fragment"/>.</summary>
    public static Func<HttpMessage, bool> PathContains(string fragment) => m => Path(m).Contains(fragment, StringComparison.OrdinalIgnoreCase);

    private static string Path(HttpMessage message) => message.Request.Uri.Path;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        StorageFault? inject = null;
        lock (gate)
        {
            if (remaining > 0 && rule(message))
            {
                remaining--;
                Injected++;
                inject = fault;
            }
        }

        switch (inject)
        {
            case null:
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
            case StorageFault.Slow:
                await Task.Delay(TimeSpan.FromSeconds(2), message.CancellationToken).ConfigureAwait(false);
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
            case StorageFault.LostAnswer:
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                throw new RequestFailedException(0, "the answer was lost (injected)", new IOException("connection reset after the request was sent (injected)"));
            case StorageFault.DroppedConnection:
                throw new RequestFailedException(0, "the connection dropped (injected)", new IOException("connection reset (injected)"));
            default:
                message.Response = new FaultResponse(inject == StorageFault.TooManyRequests ? 429 : 503, message.Request.ClientRequestId);
                return;
        }
    }

    /// <summary>A bare error answer with storage's headers.</summary>
    private sealed class FaultResponse(int status, string requestId) : Response
    {
        private readonly Dictionary<string, string> headers = status == 429
            ? new(StringComparer.OrdinalIgnoreCase) { ["x-ms-error-code"] = "TooManyRequests", ["Retry-After"] = "1" }
            : new(StringComparer.OrdinalIgnoreCase) { ["x-ms-error-code"] = "ServerBusy" };

        public override int Status => status;

        // The transport sets this from the classifier; a response made here must say so itself or nothing retries it.
        public override bool IsError => true;

        public override string ReasonPhrase => status == 429 ? "Too Many Requests" : "Server Busy";

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = requestId;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Key, h.Value));

        protected override bool TryGetHeader(string name, out string value) => headers.TryGetValue(name, out value!);

        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            var found = headers.TryGetValue(name, out var value);
            values = found ? [value!] : [];
            return found;
        }
    }
}

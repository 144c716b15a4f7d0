using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ScholarFx.Bench;

/// <summary>
/// Counts the storage requests the service makes, by method and table or container (a pipeline policy installed through
/// <c>StorageClientSetup</c>): what the write path costs the storage account, apart from how fast Azurite answers.
/// </summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public override void OnSendingRequest(HttpMessage message)
    {
        var path = message.Request.Uri.Path.Trim('/').Split('/');
        // Table paths are /{account}/{Table}(…) or /{account}/$batch; blob and queue paths /{account}/{container}/….
        var target = path.Length > 1 ? path[1] : "?";
        var paren = target.IndexOf('(', StringComparison.Ordinal);
        target = paren > 0 ? target[..paren] + (target.EndsWith("()", StringComparison.Ordinal) ? " (query)" : " (point)") : target;
        counts.AddOrUpdate(message.Request.Method + " " + target, 1, (_, n) => n + 1);
    }

    /// <summary>The counts, largest first, as a Markdown table.</summary>
    public string Table(int papers)
    {
        var total = counts.Values.Sum();
        var lines = counts.OrderByDescending(c => c.Value).Select(c => $"| {c.Key} | {c.Value:N0} | {(double)c.Value / papers:F2} |");
        return $"| request | count | per paper |\n| --- | --- | --- |\n{string.Join('\n', lines)}\n| **all** | **{total:N0}** | **{(double)total / papers:F2}** |";
    }
}

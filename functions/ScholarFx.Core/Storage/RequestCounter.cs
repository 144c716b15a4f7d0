using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Counts the storage requests the service makes, by method and table or container (a pipeline policy installed through
/// <see cref="StorageClientSetup"/>): what the write path costs the storage account, apart from how fast Azurite answers.
/// The entity operations inside each <c>$batch</c> are counted too, by table and kind (a transaction is one request but
/// its operations are what Table Storage's per-partition entity limits, and Azurite's per-row work, count). The settle
/// bench's <c>count</c> probe and the write-path budget test both count through it.
/// </summary>
internal sealed partial class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> operations = new(StringComparer.Ordinal);

    public override void OnSendingRequest(HttpMessage message)
    {
        var path = message.Request.Uri.Path.Trim('/').Split('/');
        // Table paths are /{account}/{Table}(…) or /{account}/$batch; blob and queue paths /{account}/{container}/….
        var target = path.Length > 1 ? path[1] : "?";
        var paren = target.IndexOf('(', StringComparison.Ordinal);
        target = paren > 0 ? target[..paren] + (target.EndsWith("()", StringComparison.Ordinal) ? " (query)" : " (point)") : target;
        if (target == "$batch" && message.Request.Content is { } content)
        {
            using var body = new MemoryStream();
            content.WriteTo(body, CancellationToken.None);
            string? table = null;
            foreach (Match match in BatchOperation().Matches(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length)))
            {
                var kind = match.Groups["method"].Value switch
                {
                    "POST" => "add",
                    "PUT" => match.Groups["ifMatch"].Success ? "replace" : "upsert",
                    "MERGE" or "PATCH" => "merge",
                    "DELETE" => "delete",
                    var other => other,
                };
                table ??= match.Groups["table"].Value;
                operations.AddOrUpdate(kind + " " + table, 1, (_, n) => n + 1);
            }

            // A transaction is within one table: the request is listed with it.
            target = table is null ? target : $"$batch ({table})";
        }

        counts.AddOrUpdate(message.Request.Method + " " + target, 1, (_, n) => n + 1);
    }

    // One operation of a changeset: its request line, then its headers (If-Match marks a conditional replace).
    [GeneratedRegex(@"^(?<method>POST|PUT|MERGE|PATCH|DELETE) https?://[^ ]*?/(?<table>[A-Za-z0-9]+)(\(|\?| )[^\n]*\n(?:(?!\r?\n)(?:(?<ifMatch>If-Match:)|[^\n])*\n)*", RegexOptions.Multiline)]
    private static partial Regex BatchOperation();

    /// <summary>Requests so far to a table or container, its transactions (<c>$batch</c>) included.</summary>
    public long Requests(string target) =>
        counts.Where(c => c.Key[(c.Key.IndexOf(' ', StringComparison.Ordinal) + 1)..] is var to && (to.StartsWith(target + " ", StringComparison.Ordinal) || to == target || to == $"$batch ({target})")).Sum(c => c.Value);

    /// <summary>Requests so far with one HTTP method (<c>GET</c>: point reads and queries) to a table or container.</summary>
    public long Requests(string target, string method) =>
        counts.Where(c => c.Key.StartsWith(method + " ", StringComparison.Ordinal)).Where(c => c.Key[(method.Length + 1)..] is var to && (to.StartsWith(target + " ", StringComparison.Ordinal) || to == target)).Sum(c => c.Value);

    /// <summary>Every request so far.</summary>
    public long Requests() => counts.Values.Sum();

    /// <summary>Entity operations so far inside <c>$batch</c> requests on <paramref name="table"/>.</summary>
    public long Operations(string table) =>
        operations.Where(c => c.Key.EndsWith(" " + table, StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>Every entity operation so far inside <c>$batch</c> requests.</summary>
    public long Operations() => operations.Values.Sum();

    /// <summary>The counts, largest first, as a Markdown table.</summary>
    public string Table(int papers)
    {
        var total = counts.Values.Sum();
        var lines = counts.OrderByDescending(c => c.Value).Select(c => $"| {c.Key} | {c.Value:N0} | {(double)c.Value / papers:F2} |");
        var ops = operations.OrderByDescending(c => c.Value).Select(c => $"| {c.Key} | {c.Value:N0} | {(double)c.Value / papers:F2} |");
        return $"| request | count | per paper |\n| --- | --- | --- |\n{string.Join('\n', lines)}\n| **all** | **{total:N0}** | **{(double)total / papers:F2}** |\n\n" +
            $"entity operations inside $batch:\n| operation | count | per paper |\n| --- | --- | --- |\n{string.Join('\n', ops)}\n| **all** | **{operations.Values.Sum():N0}** | **{(double)operations.Values.Sum() / papers:F2}** |";
    }
}

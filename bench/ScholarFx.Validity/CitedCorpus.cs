using System.Text.Json;

namespace ScholarFx.Validity;

/// <summary>
/// A corpus of real papers with later citation counts (such as <c>../shared/corpus/arxiv-cs-cited-2019-2024</c>): the
/// papers as the product's reader sees them (<see cref="RealCorpus"/>), plus each record's <c>citations</c> field, which
/// the reader does not keep. Counts are compared only within (primary category, year) cohorts.
/// </summary>
public static class CitedCorpus
{
    /// <summary>The papers, and the citation count of each paper that has one, by paper id.</summary>
    public static async Task<(IReadOnlyList<EvalPaper> Papers, IReadOnlyDictionary<string, int> Citations, int Rejected)> LoadAsync(
        string folder, CancellationToken cancellationToken)
    {
        var (papers, rejected) = await RealCorpus.LoadAsync(folder, cancellationToken).ConfigureAwait(false);
        var citations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.TryGetProperty("citations", out var count) && count.ValueKind == JsonValueKind.Number
                    && root.TryGetProperty("id", out var id) && id.GetString() is { } key)
                {
                    citations[key] = count.GetInt32();
                }
            }
        }

        var known = papers.Where(p => citations.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => citations[p.Id], StringComparer.Ordinal);
        return (papers, known, rejected);
    }
}

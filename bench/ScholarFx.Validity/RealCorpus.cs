using ScholarFx.Core.Ingest;

namespace ScholarFx.Validity;

/// <summary>
/// Reads a folder of ScholarFx JSON Lines files (such as the shared arXiv corpus) through the product's own reader, so
/// titles, abstracts, authors and dates are what ingest would store. Records the reader rejects are counted, not used.
/// </summary>
public static class RealCorpus
{
    /// <summary>Every record of every <c>*.jsonl</c> file under <paramref name="folder"/>, in date then id order.</summary>
    public static async Task<(IReadOnlyList<EvalPaper> Papers, int Rejected)> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        var format = new ScholarFxJsonFormat();
        var papers = new Dictionary<string, EvalPaper>(StringComparer.Ordinal);
        var rejected = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            await foreach (var item in format.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                if (item.Record is not { Title: { } title, Abstract: { } @abstract, Published: { } published } record || record.Authors.Count == 0)
                {
                    rejected++;
                    continue;
                }

                var id = record.Aliases()[0];
                papers.TryAdd(id, new EvalPaper(
                    id,
                    title.Trim(),
                    @abstract.Trim(),
                    [.. record.Authors.Select(a => a.Id)],
                    record.Categories.Count > 0 ? record.Categories[0] : null,
                    published));
            }
        }

        return ([.. papers.Values.OrderBy(p => p.Published).ThenBy(p => p.Id, StringComparer.Ordinal)], rejected);
    }
}

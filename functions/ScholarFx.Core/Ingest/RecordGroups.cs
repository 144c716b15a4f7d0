using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>Records of one batch that describe one paper.</summary>
internal static class RecordGroups
{
    /// <summary>The records of a batch, those sharing any alias combined into one (later fields win).</summary>
    public static List<SourceRecord> ByAlias(List<SourceRecord> records)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var merged = new List<SourceRecord?>();
        foreach (var record in records)
        {
            var aliases = record.Aliases();
            var hits = aliases.Where(owner.ContainsKey).Select(a => owner[a]).Distinct().ToList();
            if (hits.Count == 0)
            {
                merged.Add(record);
                foreach (var alias in aliases)
                {
                    owner[alias] = merged.Count - 1;
                }

                continue;
            }

            // Fold every matched group and this record into the first matched group.
            var target = hits.Min();
            var combined = merged[target]!;
            foreach (var other in hits.Where(h => h != target))
            {
                combined = PaperMerger.Combine(combined, merged[other]!);
                merged[other] = null;
            }

            combined = PaperMerger.Combine(combined, record);
            merged[target] = combined;
            foreach (var alias in combined.Aliases().Concat(aliases))
            {
                owner[alias] = target;
            }

            foreach (var key in owner.Where(kv => hits.Contains(kv.Value)).Select(kv => kv.Key).ToList())
            {
                owner[key] = target;
            }
        }

        return [.. merged.OfType<SourceRecord>()];
    }
}

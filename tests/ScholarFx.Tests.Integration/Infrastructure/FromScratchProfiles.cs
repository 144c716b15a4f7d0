using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// Profiles and ranking lists as a from-scratch build from the stored papers alone would make them: every author's
/// papers (the rows each stored paper gives its authors), every profile rendered from them, and every ranking list
/// holding each profile once, by the figures it shows. What ingest and settling must end with, whatever order and
/// instances the papers came in.
/// </summary>
public static class FromScratchProfiles
{
    /// <summary>Every way the stored profiles and lists differ from a from-scratch build (empty when they equal it).</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(IServiceProvider services)
    {
        var differences = new List<string>();
        var authors = services.GetRequiredService<IAuthorStore>();

        // 1. Each author's papers: exactly the rows the stored papers give them.
        var expected = new Dictionary<string, List<AuthorPaper>>(StringComparer.Ordinal);
        await foreach (var paper in services.GetRequiredService<IPaperStore>().ScanAsync(CancellationToken.None))
        {
            foreach (var change in AuthorRows.Changes(null, paper))
            {
                (expected.TryGetValue(change.AuthorId, out var rows) ? rows : expected[change.AuthorId] = []).Add(change.Upsert!);
            }
        }

        var profiles = new List<StoredAggregate>();
        await foreach (var profile in authors.ScanRankedAsync(CancellationToken.None))
        {
            profiles.Add(profile);
        }

        foreach (var id in profiles.Select(p => p.AuthorId).Except(expected.Keys, StringComparer.Ordinal))
        {
            differences.Add($"{id}: a profile without papers");
        }

        var builder = services.GetRequiredService<ProfileBuilder>();
        foreach (var (id, rows) in expected)
        {
            var stored = (await authors.ReadPapersAsync(id, CancellationToken.None)).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
            var want = rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
            if (stored.Count != want.Count || stored.Zip(want).Any(p => !AuthorPaper.SameRow(p.First, p.Second)))
            {
                var first = stored.Count == want.Count ? stored.Zip(want).First(p => !AuthorPaper.SameRow(p.First, p.Second)) : default;
                differences.Add(stored.Count != want.Count
                    ? $"{id}: papers [{string.Join(", ", stored.Select(Describe))}], from scratch [{string.Join(", ", want.Select(Describe))}]"
                    : $"{id}: paper {first.First.Id} is {first.First} in the profile, from scratch {first.Second}");
            }
            else if (await builder.RebuildAsync(id, CancellationToken.None))
            {
                // 2. The stored profile is the render of those papers now (a stale figure is rendered anew and differs).
                differences.Add($"{id}: the stored profile is not the render of its papers");
            }
        }

        // 3. Every list: each profile once, by what it shows; no row of an author who is not ranked so.
        profiles.Clear();
        await foreach (var profile in authors.ScanRankedAsync(CancellationToken.None))
        {
            profiles.Add(profile);
        }

        var wanted = profiles.SelectMany(p => ProfileRankings.Entries(p).SelectMany(c => c.Value.Select(f => (List: c.Key + "|" + f.Key, Entry: f.Value))))
            .ToDictionary(e => (e.List, e.Entry.AuthorId), e => e.Entry);
        var listed = new Dictionary<(string List, string AuthorId), List<RankEntry>>();
        var pages = new List<TableEntity>();
        await foreach (var row in services.GetRequiredService<ScholarFxStorage>().Rankings.QueryAsync<TableEntity>(cancellationToken: CancellationToken.None))
        {
            pages.Add(row);
        }

        foreach (var partition in pages.GroupBy(p => p.PartitionKey, StringComparer.Ordinal))
        {
            var list = TableKey.Unescape(partition.Key[..partition.Key.LastIndexOf('|')]);
            foreach (var page in partition)
            {
                // A page holds only keys below its upper bound (its row key).
                differences.AddRange(RankingPartition.Load(partition.Key, [page]).Entries.Where(e => string.CompareOrdinal(RankPage.EntryKey(e), page.RowKey) >= 0)
                    .Select(e => $"{e.AuthorId}: in {list} on a page ending at {page.RowKey}"));
            }

            foreach (var entry in RankingPartition.Load(partition.Key, partition).Entries)
            {
                (listed.TryGetValue((list, entry.AuthorId), out var entries) ? entries : listed[(list, entry.AuthorId)] = []).Add(entry);
            }
        }

        foreach (var (key, entries) in listed)
        {
            if (entries.Count > 1)
            {
                differences.Add($"{key.AuthorId}: listed {entries.Count} times in {key.List}");
            }
            else if (!wanted.TryGetValue(key, out var want) || want != entries[0])
            {
                differences.Add($"{key.AuthorId}: in {key.List} as {entries[0]}, from scratch {(want is null ? "not listed" : want.ToString())}");
            }
        }

        differences.AddRange(wanted.Keys.Where(k => !listed.ContainsKey(k)).Select(k => $"{k.AuthorId}: missing from {k.List}"));
        return differences;
    }

    private static string Describe(AuthorPaper row) => $"{row.Id} ({row.Novelty?.ToString("F1") ?? "-"}, {row.AiScore?.ToString("F1") ?? "-"}, {row.Citations})";
}

using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;

namespace ScholarFx.Core.Storage;

/// <summary>Papers and their aliases.</summary>
public interface IPaperStore
{
    /// <summary>A stored paper by canonical id, or null.</summary>
    Task<Paper?> GetPaperAsync(string paperId, CancellationToken cancellationToken);

    /// <summary>
    /// The version of the paper this process wrote last, or null: another writer may have changed it since, so it
    /// stands in for a read only before a write conditional on its <see cref="Paper.StoreVersion"/>.
    /// </summary>
    Paper? Recent(string paperId) => null;

    /// <summary>The paper ids the given aliases point to (aliases without a row are absent).</summary>
    Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(IEnumerable<string> aliases, CancellationToken cancellationToken);

    /// <summary>The titles of the stored papers among <paramref name="paperIds"/> (point reads of the title alone).</summary>
    Task<IReadOnlyDictionary<string, string>> GetTitlesAsync(IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken);

    /// <summary>The authors of the stored papers among <paramref name="paperIds"/> (point reads of the author list alone).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<PaperAuthor>>> GetAuthorsAsync(IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken);

    /// <summary>Stores a new paper; false when a paper with that id already exists.</summary>
    Task<bool> TryAddAsync(Paper paper, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored paper on condition that it is still the version <paramref name="paper"/> was read at
    /// (<see cref="Paper.StoreVersion"/>); false when another writer changed it since (read, merge, try again).
    /// </summary>
    Task<bool> TryReplaceAsync(Paper paper, CancellationToken cancellationToken);

    /// <summary>
    /// The stored papers among <paramref name="paperIds"/> (in no particular order; ids no longer stored are left out),
    /// read together: a partition the ids cover a good share of (of a corpus of about <paramref name="corpusSize"/>
    /// papers) is read with one query, the rest with point reads.
    /// </summary>
    Task<IReadOnlyList<Paper>> GetManyAsync(IReadOnlyCollection<string> paperIds, long corpusSize, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryReplaceAsync"/> for many papers, a partition's in one transaction: for each, in order, whether it
    /// was written (false: another writer changed it since it was read; the others are written all the same).
    /// </summary>
    Task<IReadOnlyList<bool>> TryReplaceManyAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the aliases of a paper about to be created, one at a time in ordinal order, so two writers of one paper
    /// under different ids meet on the first alias they share. Returns null when every alias now points at
    /// <paramref name="paperId"/>; otherwise the paper id that holds the first alias another writer claimed first,
    /// after pointing the aliases claimed here at that id too (the record describes that paper).
    /// </summary>
    Task<string?> ClaimAliasesAsync(string paperId, IEnumerable<string> aliases, CancellationToken cancellationToken);

    /// <summary>Points each alias at the paper; an alias that already points elsewhere keeps its paper (the first id wins).</summary>
    Task AddAliasesAsync(string paperId, IEnumerable<string> aliases, CancellationToken cancellationToken);

    /// <summary>
    /// Every stored paper without its abstract (<see cref="Paper.Abstract"/> is empty). Only the first start of the
    /// shared corpus view over a table written before the view existed calls it (see Scoring/View/CorpusView.cs).
    /// </summary>
    IAsyncEnumerable<Paper> ScanAsync(CancellationToken cancellationToken);
}

/// <summary>Reads over <see cref="IPaperStore"/>.</summary>
public static class PaperStoreReads
{
    /// <summary>The stored papers among <paramref name="paperIds"/>, in order; ids no longer stored are left out.</summary>
    public static async Task<IReadOnlyList<Paper>> GetPapersAsync(this IPaperStore store, IEnumerable<string> paperIds, CancellationToken cancellationToken)
    {
        var papers = new List<Paper>();
        foreach (var id in paperIds)
        {
            if (await store.GetPaperAsync(id, cancellationToken).ConfigureAwait(false) is { } paper)
            {
                papers.Add(paper);
            }
        }

        return papers;
    }
}

/// <summary>
/// Papers table: partition = two hex digits of SHA-256 of the id (point reads, spread writes), row = escaped id.
/// Aliases table: one row per known identifier → canonical paper id, same partitioning.
/// </summary>
public sealed class PaperStore(ScholarFxStorage storage, LargeText largeText, Microsoft.Extensions.Options.IOptions<PaperOptions> options) : IPaperStore
{
    private const int ReadParallelism = 16;

    private readonly RecentEntries<Paper> recent = new(Bytes, () => options.Value.CachedMiB * 1024L * 1024);

    /// <inheritdoc/>
    public Paper? Recent(string paperId) => recent.Get(paperId);

    // About what a kept paper holds in memory: its texts (UTF-16), once more for each source's record, and its vector.
    private static long Bytes(Paper paper) =>
        (2L * (paper.Title.Length + paper.Abstract.Length) * (1 + paper.Claims.Count)) + (4L * (paper.Embedding?.Vector.Length ?? 0)) + 2048;

    // What was just stored, under the ETag the service answered (none, or text kept in a blob: not kept).
    private void Keep(Paper paper, Response response) => Keep(paper, response.Headers.ETag);

    private void Keep(Paper paper, ETag? etag)
    {
        if (etag is { } tag && paper.Title.Length <= LargeText.MaxInlineChars && paper.Abstract.Length <= LargeText.MaxInlineChars)
        {
            recent.Set(paper.Id, paper with { StoreVersion = tag.ToString() });
        }
        else
        {
            recent.Forget(paper.Id);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(IEnumerable<string> aliases, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            aliases.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (alias, ct) =>
            {
                var row = await storage.Aliases.GetEntityIfExistsAsync<TableEntity>(
                    TableKey.HashPartition(alias), TableKey.Escape(alias), ["PaperId"], ct).ConfigureAwait(false);
                if (row.HasValue && row.Value!.GetString("PaperId") is { } paperId)
                {
                    found[alias] = paperId;
                }
            }).ConfigureAwait(false);
        return found;
    }

    /// <inheritdoc/>
    public async Task<Paper?> GetPaperAsync(string paperId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Papers.GetEntityIfExistsAsync<TableEntity>(
            TableKey.HashPartition(paperId), TableKey.Escape(paperId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? await FromEntityAsync(row.Value!, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, string>> GetTitlesAsync(IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken) =>
        GetColumnAsync(paperIds, "Title", text => text, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<PaperAuthor>>> GetAuthorsAsync(IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken) =>
        GetColumnAsync<IReadOnlyList<PaperAuthor>>(
            paperIds,
            "Authors",
            json => [.. (JsonSerializer.Deserialize<List<StoredAuthor>>(json, ScholarFxJson.Options) ?? []).Select(a => a.ToAuthor())],
            cancellationToken);

    // One text column of many papers: point reads of that column alone, a few at a time.
    private async Task<IReadOnlyDictionary<string, T>> GetColumnAsync<T>(IReadOnlyCollection<string> paperIds, string column, Func<string, T> read, CancellationToken cancellationToken)
    {
        var values = new System.Collections.Concurrent.ConcurrentDictionary<string, T>(StringComparer.Ordinal);
        if (paperIds.Count == 0)
        {
            return values;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            paperIds.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                var row = await storage.Papers.GetEntityIfExistsAsync<TableEntity>(TableKey.HashPartition(id), TableKey.Escape(id), [column], ct).ConfigureAwait(false);
                if (row.HasValue && row.Value!.GetString(column) is { } stored)
                {
                    values[id] = read(await largeText.LoadAsync(stored, ct).ConfigureAwait(false));
                }
            }).ConfigureAwait(false);
        return values;
    }

    /// <inheritdoc/>
    public async Task<bool> TryAddAsync(Paper paper, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Keep(paper, await storage.Papers.AddEntityAsync(await ToEntityAsync(paper, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            recent.Forget(paper.Id);
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TryReplaceAsync(Paper paper, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var (entity, version) = await ReplacementAsync(paper, cancellationToken).ConfigureAwait(false);
        var answer = await ReplaceAsync(entity, version, cancellationToken).ConfigureAwait(false);
        // Kept only under the ETag the service answered.
        Keep(paper, answer.Written ? answer.ETag : null);
        return answer.Written;
    }

    /// <summary>Replaces a row on its version: not written when it changed (or was removed) since it was read.</summary>
    private async Task<ConditionalTransactions.Answer> ReplaceAsync(TableEntity entity, ETag version, CancellationToken cancellationToken)
    {
        try
        {
            var response = await storage.Papers.UpdateEntityAsync(entity, version, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new ConditionalTransactions.Answer(true, response.Headers.ETag);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // The caller reads it again.
            return ConditionalTransactions.Answer.Lost;
        }
    }

    /// <summary>
    /// The row that replaces a stored paper, and the version it replaces. Replace, not merge: a merge cannot remove a
    /// property (a score's reason that no longer holds would stay).
    /// </summary>
    private async Task<(TableEntity Entity, ETag Version)> ReplacementAsync(Paper paper, CancellationToken cancellationToken)
    {
        var version = paper.StoreVersion ?? throw new InvalidOperationException($"Paper {paper.Id} was not read from the store: it has no version to write on condition of.");
        return (await ToEntityAsync(paper, cancellationToken).ConfigureAwait(false), new ETag(version));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Paper>> GetManyAsync(IReadOnlyCollection<string> paperIds, long corpusSize, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<Paper>();
        if (paperIds.Count == 0)
        {
            return [];
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        // A query returns a whole partition (up to 1,000 rows a page): worth it for a quarter of its papers, not for a few.
        var perPartition = Math.Max(1.0, corpusSize / (double)Partitions);
        var work = new List<(string? Partition, string[] Ids)>();
        foreach (var partition in paperIds.Distinct(StringComparer.Ordinal).GroupBy(TableKey.HashPartition, StringComparer.Ordinal))
        {
            var ids = partition.ToArray();
            if (ids.Length >= WholePartitionAtLeast && ids.Length * 4 >= perPartition)
            {
                work.Add((partition.Key, ids));
            }
            else
            {
                work.AddRange(ids.Select(id => ((string?)null, new[] { id })));
            }
        }

        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (item.Partition is null)
            {
                if (await GetPaperAsync(item.Ids[0], ct).ConfigureAwait(false) is { } paper)
                {
                    found.Add(paper);
                }

                return;
            }

            var wanted = item.Ids.Select(TableKey.Escape).ToHashSet(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {item.Partition}");
            await foreach (var row in storage.Papers.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct).ConfigureAwait(false))
            {
                if (wanted.Contains(row.RowKey))
                {
                    found.Add(await FromEntityAsync(row, ct).ConfigureAwait(false));
                }
            }
        }).ConfigureAwait(false);
        return [.. found];
    }

    // The Papers table's partitions: two hex digits of the id's hash (TableKey.HashPartition).
    private const int Partitions = 256;

    // Fewer wanted papers than this in a partition are read one by one whatever its size.
    private const int WholePartitionAtLeast = 4;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<bool>> TryReplaceManyAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
    {
        if (papers.Count == 0)
        {
            return [];
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var actions = new TableTransactionAction[papers.Count];
        for (var i = 0; i < papers.Count; i++)
        {
            var (entity, version) = await ReplacementAsync(papers[i], cancellationToken).ConfigureAwait(false);
            actions[i] = new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, version);
        }

        // A paper sent on its own (a transaction failed without naming which paper failed it) sends the row built here.
        var answers = await ConditionalTransactions.SubmitAsync(
            storage.Papers, actions, (i, ct) => ReplaceAsync((TableEntity)actions[i].Entity, actions[i].ETag, ct), WriteParallelism, cancellationToken).ConfigureAwait(false);
        var results = new bool[papers.Count];
        for (var i = 0; i < papers.Count; i++)
        {
            results[i] = answers[i].Written;
            // Kept only under the ETag the service answered.
            Keep(papers[i], answers[i].Written ? answers[i].ETag : null);
        }

        return results;
    }

    // Transactions of a TryReplaceManyAsync in flight at once.
    private const int WriteParallelism = 8;

    /// <inheritdoc/>
    public async Task<string?> ClaimAliasesAsync(string paperId, IEnumerable<string> aliases, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<string>();
        foreach (var alias in aliases.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            try
            {
                await storage.Aliases.AddEntityAsync(AliasRow(alias, paperId), cancellationToken).ConfigureAwait(false);
                claimed.Add(alias);
                continue;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Held already: by this paper (an earlier attempt, a lost answer), or by another one.
            }

            var row = await storage.Aliases.GetEntityAsync<TableEntity>(TableKey.HashPartition(alias), TableKey.Escape(alias), ["PaperId"], cancellationToken).ConfigureAwait(false);
            var owner = row.Value.GetString("PaperId");
            if (owner == paperId)
            {
                claimed.Add(alias);
                continue;
            }

            // Only this writer points these aliases at a paper that is not going to exist: give them to the owner.
            foreach (var mine in claimed)
            {
                await storage.Aliases.UpsertEntityAsync(AliasRow(mine, owner), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return owner;
        }

        return null;
    }

    private static TableEntity AliasRow(string alias, string paperId) =>
        new(TableKey.HashPartition(alias), TableKey.Escape(alias)) { ["Alias"] = alias, ["PaperId"] = paperId };

    /// <inheritdoc/>
    public async Task AddAliasesAsync(string paperId, IEnumerable<string> aliases, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            aliases.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (alias, ct) =>
            {
                try
                {
                    await storage.Aliases.AddEntityAsync(AliasRow(alias, paperId), ct).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // The alias already resolves (to this paper, or to the paper that claimed it first).
                }
            }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Paper> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in storage.Papers.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // What the corpus view needs is the rendered paper: neither the abstract nor the sources' records (maybe blobs).
            row["Abstract"] = "";
            row.Remove("Claims");
            row.Remove("Conflicts");
            var paper = await FromEntityAsync(row, cancellationToken).ConfigureAwait(false);
            yield return paper with { Abstract = "", Claims = [], Conflicts = [] };
        }
    }

    private async Task<TableEntity> ToEntityAsync(Paper paper, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKey.HashPartition(paper.Id), TableKey.Escape(paper.Id))
        {
            ["Id"] = paper.Id,
            ["Title"] = await largeText.StoreAsync("titles", paper.Title, cancellationToken).ConfigureAwait(false),
            ["Authors"] = await largeText.StoreAsync("authors", JsonSerializer.Serialize(paper.Authors.Select(StoredAuthor.From), ScholarFxJson.Options), cancellationToken).ConfigureAwait(false),
            ["Categories"] = JsonSerializer.Serialize(paper.Categories, ScholarFxJson.Options),
            ["Published"] = paper.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Citations"] = paper.Citations,
            ["CitationsAsOf"] = paper.CitationsAsOf,
            ["CitationsSource"] = paper.CitationsSource,
            ["CitationsByYear"] = paper.CitationsByYear.Count == 0 ? null : JsonSerializer.Serialize(paper.CitationsByYear, ScholarFxJson.Options),
            ["Retracted"] = paper.Retracted,
            ["RetractedAt"] = paper.RetractedAt,
            ["Aliases"] = await largeText.StoreAsync("aliases", JsonSerializer.Serialize(paper.Aliases, ScholarFxJson.Options), cancellationToken).ConfigureAwait(false),
            ["Sources"] = JsonSerializer.Serialize(paper.Sources, ScholarFxJson.Options),
            ["RetiredRows"] = paper.RetiredRows.Count == 0 ? null : JsonSerializer.Serialize(paper.RetiredRows, ScholarFxJson.Options),
            ["AuthorOverrides"] = paper.AuthorOverrides.Count == 0 ? null : JsonSerializer.Serialize(paper.AuthorOverrides, ScholarFxJson.Options),
            ["ContentHash"] = paper.ContentHash,
            ["UpdatedAt"] = paper.UpdatedAt,
            ["EmbeddingHalf"] = paper.Embedding?.ToHalfBytes(),
            ["EmbeddingModel"] = paper.Embedding?.Model,
            ["EmbeddingHash"] = paper.Embedding?.ContentHash,
        };
        WriteScores(entity, paper.Scores);
        await WriteBodyAsync(entity, paper, cancellationToken).ConfigureAwait(false);
        return entity;
    }

    /// <summary>
    /// The paper's body: its abstract, the sources' records (each holds its abstract again) and the scores'
    /// explanations, as one JSON text kept Brotli-compressed in binary properties <c>Body0</c>… Together they compress to
    /// about a third (the records repeat the abstract), and none of them is read without the rest. A body too large for
    /// its properties goes to a blob (<see cref="LargeText"/>), referenced by <c>BodyText</c>.
    /// </summary>
    private async Task WriteBodyAsync(TableEntity entity, Paper paper, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(
            new StoredBody(
                paper.Abstract,
                paper.Claims.Count == 0 ? null : [.. paper.Claims.Select(StoredClaim.From)],
                paper.Conflicts.Count == 0 ? null : paper.Conflicts,
                paper.Scores.Novelty.Details,
                paper.Scores.AiScore.Details,
                paper.Scores.Pioneer.Details),
            ScholarFxJson.Options);
        if (TableChunks.TryWriteCompressed(entity, "Body", body, MaxBodyChunks) is > 0 and var chunks)
        {
            entity["BodyChunks"] = chunks;
        }
        else
        {
            entity["BodyText"] = await largeText.StoreAsync("bodies", body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The body of a row (null for a row written before bodies, whose parts are columns of their own).</summary>
    private async Task<StoredBody?> ReadBodyAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var json = entity.GetInt32("BodyChunks") is > 0 and var chunks ? TableChunks.Read(entity, "Body", chunks)
            : entity.GetString("BodyText") is { } text ? await largeText.LoadAsync(text, cancellationToken).ConfigureAwait(false)
            : null;
        return json is null ? null : JsonSerializer.Deserialize<StoredBody>(json, ScholarFxJson.Options);
    }

    // 8 × 60,000 bytes compressed: with the title and authors (each at most 30K characters inline) well inside an
    // entity's 1 MiB.
    private const int MaxBodyChunks = 8;

    private async Task<Paper> FromEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var authors = JsonSerializer.Deserialize<List<StoredAuthor>>(await largeText.LoadAsync(entity.GetString("Authors"), cancellationToken).ConfigureAwait(false), ScholarFxJson.Options) ?? [];
        var body = await ReadBodyAsync(entity, cancellationToken).ConfigureAwait(false);
        return new Paper
        {
            Id = entity.GetString("Id"),
            Title = await largeText.LoadAsync(entity.GetString("Title"), cancellationToken).ConfigureAwait(false),
            Abstract = body?.Abstract ?? await largeText.LoadAsync(entity.GetString("Abstract"), cancellationToken).ConfigureAwait(false),
            Authors = [.. authors.Select(a => a.ToAuthor())],
            Categories = JsonSerializer.Deserialize<List<string>>(entity.GetString("Categories") ?? "[]", ScholarFxJson.Options) ?? [],
            Published = DateOnly.ParseExact(entity.GetString("Published"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Citations = entity.GetInt32("Citations"),
            CitationsAsOf = entity.GetDateTimeOffset("CitationsAsOf"),
            CitationsSource = entity.GetString("CitationsSource"),
            CitationsByYear = entity.GetString("CitationsByYear") is { } byYear ? JsonSerializer.Deserialize<List<YearCount>>(byYear, ScholarFxJson.Options) ?? [] : [],
            Retracted = entity.GetBoolean("Retracted") ?? false,
            RetractedAt = entity.GetDateTimeOffset("RetractedAt"),
            Aliases = JsonSerializer.Deserialize<List<string>>(await largeText.LoadAsync(entity.GetString("Aliases"), cancellationToken).ConfigureAwait(false), ScholarFxJson.Options) ?? [],
            Sources = JsonSerializer.Deserialize<List<string>>(entity.GetString("Sources") ?? "[]", ScholarFxJson.Options) ?? [],
            RetiredRows = entity.GetString("RetiredRows") is { } retired ? JsonSerializer.Deserialize<List<RetiredRow>>(retired, ScholarFxJson.Options) ?? [] : [],
            AuthorOverrides = entity.GetString("AuthorOverrides") is { } overrides ? JsonSerializer.Deserialize<List<AuthorOverride>>(overrides, ScholarFxJson.Options) ?? [] : [],
            Claims = body is not null ? [.. (body.Claims ?? []).Select(c => c.ToClaim())]
                : entity.GetString("Claims") is { } claims
                ? [.. (JsonSerializer.Deserialize<List<StoredClaim>>(await largeText.LoadAsync(claims, cancellationToken).ConfigureAwait(false), ScholarFxJson.Options) ?? []).Select(c => c.ToClaim())]
                : [],
            Conflicts = body is not null ? body.Conflicts ?? []
                : entity.GetString("Conflicts") is { } conflicts
                ? JsonSerializer.Deserialize<List<PaperConflict>>(await largeText.LoadAsync(conflicts, cancellationToken).ConfigureAwait(false), ScholarFxJson.Options) ?? []
                : [],
            ContentHash = entity.GetString("ContentHash") ?? "",
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
            StoreVersion = entity.ETag.ToString(),
            Scores = new PaperScores(ReadScore(entity, "Novelty", body, b => b.NoveltyDetails), ReadScore(entity, "Ai", body, b => b.AiDetails)) {
                // A paper stored before the pioneer score has none of its columns: not scored until settling.
                Pioneer = entity.ContainsKey("PioneerVersion") || entity.ContainsKey("PioneerReason") ? ReadScore(entity, "Pioneer", body, b => b.PioneerDetails) : Score.NotScored,
            },
            Embedding = entity.GetString("EmbeddingModel") is { } model
                && (entity.GetBinary("EmbeddingHalf") is { } half ? PaperEmbedding.FromHalfBytes(half) : entity.GetBinary("Embedding") is { } single ? PaperEmbedding.FromBytes(single) : null) is { } vector
                ? new PaperEmbedding(model, entity.GetString("EmbeddingHash") ?? "", vector)
                : null,
        };
    }

    private static void WriteScores(TableEntity entity, PaperScores scores)
    {
        WriteScore(entity, "Novelty", scores.Novelty);
        WriteScore(entity, "Ai", scores.AiScore);
        WriteScore(entity, "Pioneer", scores.Pioneer);
    }

    private static void WriteScore(TableEntity entity, string prefix, Score score)
    {
        entity[prefix + "Value"] = score.Value;
        entity[prefix + "Reason"] = score.Reason;
        entity[prefix + "Model"] = score.Model;
        entity[prefix + "Version"] = score.Version;
    }

    /// <summary>A score from its columns; its explanation from the body, or for a row written before bodies from its own column.</summary>
    private static Score ReadScore(TableEntity entity, string prefix, StoredBody? body, Func<StoredBody, JsonElement?> details) =>
        new(
            entity.GetDouble(prefix + "Value"),
            entity.GetString(prefix + "Reason"),
            entity.GetString(prefix + "Model"),
            entity.GetString(prefix + "Version"),
            body is not null ? details(body)
                : entity.GetString(prefix + "Details") is { } text ? JsonDocument.Parse(text).RootElement.Clone()
                : null);

    /// <summary>An author as stored: the profile id only when it is not the name's slug, the lists only when not empty.</summary>
    private sealed record StoredAuthor(
        string Name,
        string? Orcid,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Affiliations = null,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Id = null,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ExternalIds = null,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool OrcidUnconfirmed = false)
    {
        public static StoredAuthor From(PaperAuthor a) => new(
            a.Name,
            a.Orcid,
            a.Institutions.Count == 0 ? null : a.Institutions,
            a.Id == a.NameKey ? null : a.Id,
            a.SourceIds.Count == 0 ? null : a.SourceIds,
            a.OrcidUnconfirmed);

        // Papers stored before identities kept no id: their authors are their names' slugs.
        public PaperAuthor ToAuthor()
        {
            var author = new PaperAuthor(Name, Orcid, Affiliations, ExternalIds) { OrcidUnconfirmed = OrcidUnconfirmed };
            return Id is null ? author : author with { Id = Id };
        }
    }

    /// <summary>What a row keeps compressed in its body (<see cref="WriteBodyAsync"/>); lists are null when empty.</summary>
    private sealed record StoredBody(
        string Abstract,
        List<StoredClaim>? Claims,
        IReadOnlyList<PaperConflict>? Conflicts,
        JsonElement? NoveltyDetails,
        JsonElement? AiDetails,
        JsonElement? PioneerDetails);

    /// <summary>A source's record as stored: the record without its authors, and its authors as <see cref="StoredAuthor"/>.</summary>
    private sealed record StoredClaim(SourceClaim Record, List<StoredAuthor>? Authors)
    {
        public static StoredClaim From(SourceClaim c) =>
            new(c with { Authors = [] }, c.Authors.Count == 0 ? null : [.. c.Authors.Select(StoredAuthor.From)]);

        public SourceClaim ToClaim() => Record with { Authors = [.. (Authors ?? []).Select(a => a.ToAuthor())] };
    }
}

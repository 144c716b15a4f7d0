using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Core.Storage;

/// <summary>A change to one author's paper rows: the row to write (null for none) and rows to remove.</summary>
public sealed record AuthorRowChange(string AuthorId, AuthorPaper? Upsert, string? DeleteRowKey);

/// <summary>A page of an author's papers, newest first, and the continuation token of the next page.</summary>
public sealed record AuthorPapersPage(IReadOnlyList<AuthorPaper> Papers, string? ContinuationToken);

/// <summary>All of an author's paper rows plus the first page as the service paged it.</summary>
public sealed record AuthorPartition(IReadOnlyList<AuthorPaper> All, AuthorPapersPage FirstPage);

/// <summary>The aggregate row: figures, the rendered first page of the profile, and its HTTP ETag.</summary>
public sealed record StoredAggregate(string AuthorId, string Name, string ProfileJson, string ContentTag, int PaperCount, string? PrimaryCategory, ETag ETag);

/// <summary>A name-index hit.</summary>
public sealed record NameHit(string Id, string Name, int PaperCount, string? PrimaryCategory);

/// <summary>Authors' partitions (paper rows and the aggregate row) and the name index.</summary>
public interface IAuthorStore
{
    Task WritePaperRowsAsync(IReadOnlyCollection<AuthorRowChange> changes, CancellationToken cancellationToken);
    Task<AuthorPapersPage> GetPapersPageAsync(string authorId, string? continuationToken, int top, CancellationToken cancellationToken);
    Task<AuthorPartition> ReadPartitionAsync(string authorId, int firstPageSize, CancellationToken cancellationToken);
    Task<StoredAggregate?> GetAggregateAsync(string authorId, CancellationToken cancellationToken);
    /// <summary>Writes the aggregate if it is unchanged since <paramref name="expected"/> was read (null: if none exists); false when another writer won.</summary>
    Task<bool> TryWriteAggregateAsync(StoredAggregate aggregate, StoredAggregate? expected, CancellationToken cancellationToken);
    Task<bool> TryDeleteAggregateAsync(StoredAggregate expected, CancellationToken cancellationToken);
    Task IndexNameAsync(NameHit author, CancellationToken cancellationToken);
    Task<(IReadOnlyList<NameHit> Hits, string? ContinuationToken)> FindByTokenPrefixAsync(string token, string? continuationToken, int top, CancellationToken cancellationToken);
    IAsyncEnumerable<string> ListAuthorIdsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Authors table: one partition per author. Paper rows have RowKey <c>p_{99999999 − yyyymmdd}_{paper id}</c>, so a
/// partition query returns newest first; the aggregate row is <c>aggregate</c>, outside the paper-row range.
/// NameIndex table: partition = first two characters of a name token, row = token + author id.
/// </summary>
public sealed class AuthorStore(ScholarFxStorage storage) : IAuthorStore
{
    /// <summary>RowKey of the aggregate row.</summary>
    public const string AggregateRowKey = "aggregate";

    /// <summary>Authors listed per paper row; the profile shows the count of the rest.</summary>
    public const int AuthorsPerRow = 20;

    private const string PaperRowPrefix = "p_";
    private const int ProfileChunkChars = 30_000;
    private const int MaxProfileChunks = 15;

    /// <summary>RowKey of an author's row for a paper: inverted date then id, so rows sort newest first.</summary>
    public static string PaperRowKey(DateOnly published, string paperId)
    {
        var inverted = 99_999_999 - ((published.Year * 10_000) + (published.Month * 100) + published.Day);
        return PaperRowPrefix + inverted.ToString("D8", CultureInfo.InvariantCulture) + "_" + TableKey.Escape(paperId);
    }

    /// <inheritdoc/>
    public async Task WritePaperRowsAsync(IReadOnlyCollection<AuthorRowChange> changes, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var byAuthor = changes.GroupBy(c => c.AuthorId, StringComparer.Ordinal);
        await Parallel.ForEachAsync(byAuthor, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            var partition = TableKey.Escape(group.Key);
            // Deletes go one by one: a delete of a missing row fails a whole transaction, and deletes are rare (corrections).
            foreach (var delete in group.Where(c => c.DeleteRowKey is not null))
            {
                await storage.Authors.DeleteEntityAsync(partition, delete.DeleteRowKey!, ETag.All, ct).ConfigureAwait(false);
            }

            var upserts = group.Where(c => c.Upsert is not null)
                .Select(c => ToEntity(group.Key, c.Upsert!))
                .DistinctBy(e => e.RowKey, StringComparer.Ordinal)
                .ToList();
            // A transaction holds at most 100 entities of one partition.
            foreach (var chunk in upserts.Chunk(100))
            {
                await storage.Authors.SubmitTransactionAsync(
                    chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<AuthorPapersPage> GetPapersPageAsync(string authorId, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var token = continuationToken;
        // The service may return empty pages with a continuation; follow a few before answering.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await foreach (var page in PaperRows(authorId, top).AsPages(token, top).ConfigureAwait(false))
            {
                if (page.Values.Count > 0 || page.ContinuationToken is null)
                {
                    return new AuthorPapersPage([.. page.Values.Select(FromEntity)], page.ContinuationToken);
                }

                token = page.ContinuationToken;
                break;
            }
        }

        return new AuthorPapersPage([], token);
    }

    /// <inheritdoc/>
    public async Task<AuthorPartition> ReadPartitionAsync(string authorId, int firstPageSize, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var all = new List<AuthorPaper>();
        AuthorPapersPage? first = null;
        await foreach (var page in PaperRows(authorId, firstPageSize).AsPages(null, firstPageSize).ConfigureAwait(false))
        {
            var papers = page.Values.Select(FromEntity).ToList();
            all.AddRange(papers);
            if (first is null && (papers.Count > 0 || page.ContinuationToken is null))
            {
                first = new AuthorPapersPage(papers, page.ContinuationToken);
            }
        }

        return new AuthorPartition(all, first ?? new AuthorPapersPage([], null));
    }

    /// <inheritdoc/>
    public async Task<StoredAggregate?> GetAggregateAsync(string authorId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Authors.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(authorId), AggregateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var entity = row.Value!;
        var chunks = Enumerable.Range(0, MaxProfileChunks).Select(i => entity.GetString("Profile" + i)).TakeWhile(c => c is not null);
        return new StoredAggregate(
            authorId,
            entity.GetString("Name") ?? authorId,
            string.Concat(chunks),
            entity.GetString("ContentTag") ?? "",
            entity.GetInt32("PaperCount") ?? 0,
            entity.GetString("PrimaryCategory"),
            entity.ETag);
    }

    /// <inheritdoc/>
    public async Task<bool> TryWriteAggregateAsync(StoredAggregate aggregate, StoredAggregate? expected, CancellationToken cancellationToken)
    {
        if (aggregate.ProfileJson.Length > ProfileChunkChars * MaxProfileChunks)
        {
            throw new InvalidOperationException($"Rendered profile of {aggregate.AuthorId} is {aggregate.ProfileJson.Length} characters, over the entity limit.");
        }

        var entity = new TableEntity(TableKey.Escape(aggregate.AuthorId), AggregateRowKey)
        {
            ["AuthorId"] = aggregate.AuthorId,
            ["Name"] = aggregate.Name,
            ["ContentTag"] = aggregate.ContentTag,
            ["PaperCount"] = aggregate.PaperCount,
            ["PrimaryCategory"] = aggregate.PrimaryCategory,
        };
        // A string property holds 32K characters; the rendered profile is split across properties.
        for (var i = 0; i * ProfileChunkChars < aggregate.ProfileJson.Length; i++)
        {
            entity["Profile" + i] = aggregate.ProfileJson.Substring(i * ProfileChunkChars, Math.Min(ProfileChunkChars, aggregate.ProfileJson.Length - (i * ProfileChunkChars)));
        }

        try
        {
            if (expected is null)
            {
                await storage.Authors.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await storage.Authors.UpdateEntityAsync(entity, expected.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e) || e.Status == 404)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TryDeleteAggregateAsync(StoredAggregate expected, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Authors.DeleteEntityAsync(TableKey.Escape(expected.AuthorId), AggregateRowKey, expected.ETag, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task IndexNameAsync(NameHit author, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var tokens = Papers.AuthorKey.Tokens(author.Name).Concat(author.Id.Split('-')).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            var row = new TableEntity(NamePartition(token), TableKey.Escape(token + " " + author.Id))
            {
                ["AuthorId"] = author.Id,
                ["Name"] = author.Name,
                ["PaperCount"] = author.PaperCount,
                ["PrimaryCategory"] = author.PrimaryCategory,
            };
            await storage.NameIndex.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<NameHit> Hits, string? ContinuationToken)> FindByTokenPrefixAsync(string token, string? continuationToken, int top, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var low = TableKey.Escape(token);
        var high = TableKey.PrefixUpperBound(low);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {NamePartition(token)} and RowKey ge {low} and RowKey lt {high}");
        var query = storage.NameIndex.QueryAsync<TableEntity>(filter, top, cancellationToken: cancellationToken);
        var next = continuationToken;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await foreach (var page in query.AsPages(next, top).ConfigureAwait(false))
            {
                if (page.Values.Count > 0 || page.ContinuationToken is null)
                {
                    return ([.. page.Values.Select(e => new NameHit(e.GetString("AuthorId"), e.GetString("Name") ?? "", e.GetInt32("PaperCount") ?? 0, e.GetString("PrimaryCategory")))], page.ContinuationToken);
                }

                next = page.ContinuationToken;
                break;
            }
        }

        return ([], next);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListAuthorIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        // The nightly job's full enumeration; request paths never run this.
        var filter = TableClient.CreateQueryFilter($"RowKey eq {AggregateRowKey}");
        await foreach (var row in storage.Authors.QueryAsync<TableEntity>(filter, 1000, ["AuthorId"], cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("AuthorId") is { } id)
            {
                yield return id;
            }
        }
    }

    private static string NamePartition(string token) => TableKey.Escape(token.Length <= 2 ? token : token[..2]);

    private AsyncPageable<TableEntity> PaperRows(string authorId, int pageSize)
    {
        var partition = TableKey.Escape(authorId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {PaperRowPrefix} and RowKey lt {TableKey.PrefixUpperBound(PaperRowPrefix)}");
        return storage.Authors.QueryAsync<TableEntity>(filter, pageSize);
    }

    private static TableEntity ToEntity(string authorId, AuthorPaper paper) => new(TableKey.Escape(authorId), PaperRowKey(paper.Published, paper.Id))
    {
        ["PaperId"] = paper.Id,
        ["Title"] = paper.Title.Length > 2000 ? paper.Title[..2000] : paper.Title,
        ["Authors"] = JsonSerializer.Serialize(paper.Authors.Take(AuthorsPerRow).Select(a => a.Length > 200 ? a[..200] : a), ScholarFxJson.Options),
        ["AuthorCount"] = paper.AuthorCount,
        ["Category"] = paper.Category,
        ["Published"] = paper.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Citations"] = paper.Citations,
        ["Novelty"] = paper.Novelty,
        ["AiScore"] = paper.AiScore,
        ["AuthorName"] = paper.AuthorName,
    };

    private static AuthorPaper FromEntity(TableEntity e) => new()
    {
        Id = e.GetString("PaperId"),
        Title = e.GetString("Title") ?? "",
        Authors = JsonSerializer.Deserialize<List<string>>(e.GetString("Authors") ?? "[]", ScholarFxJson.Options) ?? [],
        AuthorCount = e.GetInt32("AuthorCount") ?? 0,
        Category = e.GetString("Category"),
        Published = DateOnly.ParseExact(e.GetString("Published"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        Citations = e.GetInt32("Citations"),
        Novelty = e.GetDouble("Novelty"),
        AiScore = e.GetDouble("AiScore"),
        AuthorName = e.GetString("AuthorName") ?? "",
    };
}

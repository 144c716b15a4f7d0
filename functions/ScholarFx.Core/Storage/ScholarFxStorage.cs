using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace ScholarFx.Core.Storage;

/// <summary>
/// The storage account: table and blob clients, with the tables and containers created once per
/// process on first use (creation is retried on the next use if it failed).
/// </summary>
public sealed class ScholarFxStorage(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues)
{
    private readonly Lock gate = new();
    private Task? ready;

    public TableServiceClient TableService { get; } = tables;
    public BlobServiceClient BlobService { get; } = blobs;
    public TableClient Papers { get; } = tables.GetTableClient(StorageNames.PapersTable);
    public TableClient Aliases { get; } = tables.GetTableClient(StorageNames.AliasesTable);
    public TableClient Authors { get; } = tables.GetTableClient(StorageNames.AuthorsTable);

    /// <summary>Authors in the layout before buckets: never created, only read, moved and deleted (<see cref="LegacyAuthors"/>).</summary>
    public TableClient LegacyAuthors { get; } = tables.GetTableClient(StorageNames.LegacyAuthorsTable);
    public TableClient NameIndex { get; } = tables.GetTableClient(StorageNames.NameIndexTable);
    public TableClient Receipts { get; } = tables.GetTableClient(StorageNames.ReceiptsTable);
    public TableClient Stats { get; } = tables.GetTableClient(StorageNames.StatsTable);
    public TableClient AiAssessments { get; } = tables.GetTableClient(StorageNames.AiAssessmentsTable);
    public TableClient Identities { get; } = tables.GetTableClient(StorageNames.IdentitiesTable);
    public TableClient IdentityHistory { get; } = tables.GetTableClient(StorageNames.IdentityHistoryTable);
    public TableClient Rankings { get; } = tables.GetTableClient(StorageNames.RankingsTable);
    public BlobContainerClient Abstracts { get; } = blobs.GetBlobContainerClient(StorageNames.AbstractsContainer);
    public BlobContainerClient Data { get; } = blobs.GetBlobContainerClient(StorageNames.DataContainer);
    public BlobContainerClient Corpus { get; } = blobs.GetBlobContainerClient(StorageNames.CorpusContainer);

    public QueueServiceClient QueueService { get; } = queues;

    /// <summary>The settle queue (messages Base64-encoded, as the Functions queue trigger expects: see ScholarFxRegistration).</summary>
    public QueueClient SettleQueue { get; } = queues.GetQueueClient(StorageNames.SettleQueue);

    /// <summary>The rescore queue: one message per shard of a rescore run's phase.</summary>
    public QueueClient RescoreQueue { get; } = queues.GetQueueClient(StorageNames.RescoreQueue);

    /// <summary>Creates the tables and containers if they do not exist (once per process).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (ready is null || ready.IsFaulted || ready.IsCanceled)
            {
                ready = CreateAsync(cancellationToken);
            }

            return ready;
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        foreach (var table in new[] { Papers, Aliases, Authors, NameIndex, Receipts, Stats, AiAssessments, Identities, IdentityHistory, Rankings })
        {
            work.Add(table.CreateIfNotExistsAsync(cancellationToken));
        }

        work.Add(Abstracts.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken));
        work.Add(Data.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken));
        work.Add(Corpus.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken));
        work.Add(SettleQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        work.Add(RescoreQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(work).ConfigureAwait(false);
    }

    /// <summary>True for "the entity or blob does not exist".</summary>
    public static bool IsNotFound(RequestFailedException e) => e.Status == 404;

    /// <summary>True for an ETag or existence precondition that failed (lost a race).</summary>
    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;
}

using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Drafts;
using ScholarFx.Core.Papers;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Drafts;

/// <summary>The draft novelty check over a real Azurite: the score equals ingest's, nothing of the draft is kept, bad input is 400.</summary>
public sealed class DraftCheckTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Date = "2024-06-01";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AzuriteFixture, Task> Seeded = [];

    // Once per class (its Azurite): xunit makes a new instance for each test.
    public Task InitializeAsync() => Seeded.GetValue(fixture, f => SeedAsync());

    private async Task SeedAsync()
    {
        // Thirty earlier papers, settled, so a paper of the date has k = 10 earlier neighbours and a cohort to rank in.
        var topics = new[] { "graph neural networks", "speech recognition", "protein folding", "image segmentation", "reinforcement learning", "machine translation" };
        var lines = Enumerable.Range(0, 30).Select(i => TestPapers.Paper(
            $"Study {i} of {topics[i % topics.Length]}", [$"Author {i % 7} Base"], new DateOnly(2024, 1, 1).AddDays(i * 4).ToString("yyyy-MM-dd"),
            @abstract: $"We examine {topics[i % topics.Length]} with method {i} and measure accuracy on benchmark {i % 5}."));
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("base") + ".jsonl", TestPapers.Lines([.. lines])));
        await fixture.Services.GetRequiredService<ScholarFx.Core.Settle.SettleService>().SettleAsync(everything: true, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IDraftCheck Drafts => fixture.Services.GetRequiredService<IDraftCheck>();

    private static Stream Body(object value) => new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value));

    [Fact]
    public async Task ADraft_ScoresWhatTheSameTextGetsWhenIngestedThatDay()
    {
        var title = "Segmenting images with graph neural networks " + TestPapers.Unique("q");
        var @abstract = "We combine graph neural networks and image segmentation, and measure accuracy on benchmark 2.";

        var draft = await Drafts.CheckAsync(Body(new { title, @abstract, categories = new[] { "cs.LG" }, date = Date, authors = new[] { "Dana Draft" } }), CancellationToken.None);
        var id = "sfx:" + TestPapers.Unique("ingested");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("same") + ".json", TestPapers.Paper(title, ["Dana Draft"], Date, @abstract: @abstract, id: id)));
        var stored = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync(id, CancellationToken.None);

        Assert.Null(draft.Problem);
        var view = draft.Value!;
        Assert.True(view.Novelty is not null, view.NoveltyExplanation.Reason);
        Assert.NotNull(view.AiScore);
        Assert.Equal(stored!.Novelty, view.Novelty);
        Assert.Equal(stored.AiScore, view.AiScore);
        Assert.Equal(stored.NoveltyExplanation.Raw, view.NoveltyExplanation.Raw);
        Assert.Equal(stored.NoveltyExplanation.Neighbours.Select(n => (n.Id, n.Similarity)), view.NoveltyExplanation.Neighbours.Select(n => (n.Id, n.Similarity)));
        Assert.All(view.NoveltyExplanation.Neighbours, n => Assert.NotNull(n.Title));
        Assert.Equal(stored.NoveltyExplanation.Reference, view.NoveltyExplanation.Reference);
        Assert.Equal(stored.AiAssessment.Rationale, view.AiAssessment.Rationale);
        Assert.Equal((Date, "cs.LG", DraftCheck.NothingStored), (view.Published, view.Category, view.Stored));
    }

    /// <summary>
    /// Waits until every queue message an earlier test's ingest sent with a delay (a settle request) has become visible,
    /// so that the snapshot before the check and the one after see the same messages.
    /// </summary>
    private async Task DelayedMessagesVisibleAsync()
    {
        var queues = new Azure.Storage.Queues.QueueServiceClient(fixture.Azurite.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        await foreach (var item in queues.GetQueuesAsync())
        {
            var queue = queues.GetQueueClient(item.Name);
            while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > (await queue.PeekMessagesAsync(32)).Value.Length && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public async Task NothingOfADraft_IsStoredLoggedOrTraced()
    {
        var logs = new CapturedLogs();
        using var logged = fixture.BuildHost(configure: b => b.Logging.AddProvider(logs));
        var marker = "Zyxwv" + Guid.NewGuid().ToString("N")[..10];
        await DelayedMessagesVisibleAsync();
        var before = await SnapshotAsync();
        // Telemetry: every activity of any source (the app's, the Azure SDK's, HTTP) with its tags, events and baggage.
        var traced = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => traced.Add(string.Join(" ", new[] { a.DisplayName, a.OperationName }
                .Concat(a.TagObjects.Select(t => t.Key + "=" + t.Value))
                .Concat(a.Events.Select(e => e.Name + string.Concat(e.Tags.Select(t => t.Key + "=" + t.Value))))
                .Concat(a.Baggage.Select(b => b.Key + "=" + b.Value)))),
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var result = await logged.Services.GetRequiredService<IDraftCheck>().CheckAsync(
            Body(new { title = "A secret draft " + marker, @abstract = "Unpublished idea " + marker + " about graph neural networks.", date = Date }), CancellationToken.None);

        Assert.Null(result.Problem);
        Assert.DoesNotContain(traced, t => t.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(before, await SnapshotAsync());
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(marker, await SnapshotAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "abstract": "no title" }""", "missing title")]
    [InlineData("""{ "title": "no abstract" }""", "missing abstract")]
    [InlineData("""{ "title": "t", "abstract": "a", "date": "June 2024" }""", "date must be YYYY-MM-DD")]
    [InlineData("""{ "title": "t", "abstract": "a", "date": "2999-01-01" }""", "in the future")]
    [InlineData("""{ "title": "t", "abstract": "a", "categories": "cs.LG" }""", "not a JSON object")]
    [InlineData("""[[[[[[[[[[[[]]]]]]]]]]]]""", "not a JSON object")]
    [InlineData("""not json""", "not a JSON object")]
    [InlineData("""null""", "the body is empty")]
    public async Task BadInput_IsAProblemThatSaysWhat(string body, string expected)
    {
        var result = await Drafts.CheckAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);

        Assert.Null(result.Value);
        Assert.Contains(expected, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATitleOverIngestsLimit_IsRefusedLikeAtIngest()
    {
        var result = await Drafts.CheckAsync(Body(new { title = new string('t', ScholarFx.Core.Ingest.RecordValidator.MaxTitleChars + 1), @abstract = "a" }), CancellationToken.None);

        Assert.Contains("the title is 1,001 characters long", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverHttp_ItIsAKeyedPost_With400And413ProblemJson()
    {
        await using var host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>());

        using var ok = await host.Http.PostAsync("/api/novelty", new StringContent(JsonSerializer.Serialize(new { title = "Graph segmentation", @abstract = "We segment graphs.", date = Date }), Encoding.UTF8, "application/json"));
        using var bad = await host.Http.PostAsync("/api/novelty", new StringContent("""{ "title": "only" }""", Encoding.UTF8, "application/json"));
        using var huge = await host.Http.PostAsync("/api/novelty", new ByteArrayContent(new byte[IDraftCheck.MaxBodyBytes + 1]));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True(JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.TryGetProperty("noveltyExplanation", out _));
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (bad.StatusCode, bad.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    /// <summary>Everything in the account: every entity of every table, every blob's name and ETag, every queue's messages.</summary>
    private async Task<string> SnapshotAsync()
    {
        var text = new StringBuilder();
        var connection = fixture.Azurite.ConnectionString;
        var tables = new TableServiceClient(connection);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                text.Append(table.Name).Append(' ').Append(entity.PartitionKey).Append(' ').Append(entity.RowKey).Append(' ').Append(entity.ETag)
                    .Append(' ').AppendJoin(',', entity.Keys.Order(StringComparer.Ordinal).Select(k => k + "=" + entity[k])).Append('\n');
            }
        }

        var blobs = new BlobServiceClient(connection);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                text.Append(container.Name).Append('/').Append(blob.Name).Append(' ').Append(blob.Properties.ETag).Append('\n');
            }
        }

        var queues = new QueueServiceClient(connection);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                text.Append(queue.Name).Append(' ').Append(message.MessageId).Append(' ').Append(message.Body).Append('\n');
            }
        }

        return text.ToString();
    }
}

using ScholarFx.Core.Discovery;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Tests.Unit.Security;

public sealed class QueryBudgetTests : IDisposable
{
    private readonly FixedClock clock = new();
    private string version = "v1";
    private int computed;
    private QueryBudget? budget;

    public void Dispose() => budget?.Dispose();

    private QueryBudget Budget(int perMinute = 3, int concurrency = 2) =>
        budget = new QueryBudget(() => version, new ApiOptions { AnonymousQueriesPerMinute = perMinute, AnonymousQueryConcurrency = concurrency, CacheSeconds = 60 }, clock);

    private Task<QueryResult<string>> AskAsync(QueryBudget b, string key, string? client = "10.0.0.1") =>
        b.AnswerAsync(key, client, _ => Task.FromResult(QueryResult<string>.Ok(key + ":" + Interlocked.Increment(ref computed))), CancellationToken.None);

    [Fact]
    public async Task AnIdenticalQuery_IsAnsweredFromTheCache_WithoutSpendingTheClientsBudget()
    {
        var b = Budget(perMinute: 1);

        var first = await AskAsync(b, "search\u001fattention");
        var again = await AskAsync(b, "search\u001fattention");

        Assert.Equal(("search\u001fattention:1", "search\u001fattention:1"), (first.Value, again.Value));
        Assert.Equal(1, computed);
    }

    [Fact]
    public async Task ANewCorpusVersion_OrAnExpiredAnswer_IsComputedAgain()
    {
        var b = Budget();
        await AskAsync(b, "q");

        version = "v2";
        var afterIngest = await AskAsync(b, "q");
        clock.Now += TimeSpan.FromSeconds(61);
        var later = await AskAsync(b, "q");

        Assert.Equal(("q:2", "q:3"), (afterIngest.Value, later.Value));
    }

    [Fact]
    public async Task AClientPastItsBudget_IsRefusedWithATimeToRetry_WhileAnotherClientIsNot()
    {
        var b = Budget(perMinute: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await AskAsync(b, "q" + i)).Problem);
        }

        var refused = await AskAsync(b, "q3");
        var other = await AskAsync(b, "q4", client: "10.0.0.2");
        var trusted = await AskAsync(b, "q5", client: null);

        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.Contains("3 queries by meaning a minute", refused.Problem, StringComparison.Ordinal);
        Assert.Null(other.Problem);
        Assert.Null(trusted.Problem);
        Assert.Equal(5, computed);
    }

    [Fact]
    public async Task AProblemAnswer_IsNotCached()
    {
        var b = Budget();
        var calls = 0;

        for (var i = 0; i < 2; i++)
        {
            await b.AnswerAsync("bad", null, _ => Task.FromResult(QueryResult<string>.Invalid("no embedding yet " + ++calls)), CancellationToken.None);
        }

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task PastItsPlacesAndQueue_AQueryIsRefused_NotQueuedWithoutBound()
    {
        var b = Budget(perMinute: 1000, concurrency: 1);
        var release = new TaskCompletionSource();
        var waiting = Enumerable.Range(0, 1 + QueryBudget.QueueLimit)
            .Select(i => b.AnswerAsync("slow" + i, null, async _ => { await release.Task; return QueryResult<string>.Ok("done"); }, CancellationToken.None))
            .ToList();

        var refused = await AskAsync(b, "one too many");
        release.SetResult();
        await Task.WhenAll(waiting);

        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.All(waiting, w => Assert.Equal("done", w.Result.Value));
    }

    [Fact]
    public async Task AQueryRefusedBecauseTooManyRunAtOnce_SpendsNoneOfItsClientsBudget()
    {
        var b = Budget(perMinute: 1, concurrency: 1);
        var release = new TaskCompletionSource();
        var waiting = Enumerable.Range(0, 1 + QueryBudget.QueueLimit)
            .Select(i => b.AnswerAsync("busy" + i, null, async _ => { await release.Task; return QueryResult<string>.Ok("done"); }, CancellationToken.None))
            .ToList();

        var refused = await AskAsync(b, "while busy");
        release.SetResult();
        await Task.WhenAll(waiting);
        var later = await AskAsync(b, "when free");

        Assert.Equal("too many queries by meaning at once; try again shortly", refused.Problem);
        Assert.Equal("when free:1", later.Value);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Profiles;

public sealed class ProfileBuilderTests
{
    private readonly IAuthorStore store = Substitute.For<IAuthorStore>();

    [Fact]
    public async Task AChange_IsAppliedToTheLedger_WithoutReadingThePartition_AndCommittedWithTheRows()
    {
        var ledger = new[] { Paper("p1", "2024-01-01", 5), Paper("p2", "2024-02-01", 1) };
        var existing = new StoredAggregate("ada", "Ada", "{}", "old", 2, "cs.LG", new Azure.ETag("\"1\"")) { Ledger = ledger };
        store.GetAggregateAsync("ada", Arg.Any<CancellationToken>()).Returns(existing);
        StoredAggregate? written = null;
        store.TryCommitAsync("ada", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), existing, Arg.Any<CancellationToken>()).Returns(true);
        var added = Paper("p3", "2024-03-01", 7);

        var changed = await Builder().ApplyAsync("ada", [new AuthorRowChange("ada", added, null)], CancellationToken.None);

        Assert.True(changed);
        await store.DidNotReceiveWithAnyArgs().ReadPapersAsync(default!, default);
        Assert.Equal(["p3", "p2", "p1"], written!.Ledger!.Select(p => p.Id));
        Assert.Equal(3, written.PaperCount);
        Assert.Contains("\"citationCount\":13", written.ProfileJson, StringComparison.Ordinal);
        Assert.Contains("\"hIndex\":2", written.ProfileJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuthorWithoutALedger_IsReadFromThePartitionOnce_AndGetsOne()
    {
        store.GetAggregateAsync("bo", Arg.Any<CancellationToken>()).Returns((StoredAggregate?)null);
        var rows = new List<AuthorPaper> { Paper("p1", "2024-01-01", 2) };
        store.ReadPapersAsync("bo", Arg.Any<CancellationToken>()).Returns(rows);
        StoredAggregate? written = null;
        store.TryCommitAsync("bo", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(a => written = a), Arg.Is<StoredAggregate?>(x => x == null), Arg.Any<CancellationToken>()).Returns(true);

        await Builder().ApplyAsync("bo", [new AuthorRowChange("bo", Paper("p2", "2024-05-01", 3, author: "Bo"), null)], CancellationToken.None);

        Assert.Equal(["p2", "p1"], written!.Ledger!.Select(p => p.Id));
    }

    [Fact]
    public async Task ALostRace_IsRetriedOnTheOtherWritersLedger()
    {
        var first = new StoredAggregate("cy", "Cy", "{}", "a", 1, null, new Azure.ETag("\"1\"")) { Ledger = [Paper("p1", "2024-01-01", 1, author: "Cy")] };
        var second = first with { ETag = new Azure.ETag("\"2\""), Ledger = [Paper("p1", "2024-01-01", 1, author: "Cy"), Paper("p9", "2024-06-01", 1, author: "Cy")] };
        store.GetAggregateAsync("cy", Arg.Any<CancellationToken>()).Returns(first, second);
        var commits = new List<StoredAggregate?>();
        store.TryCommitAsync("cy", Arg.Any<IReadOnlyList<AuthorRowChange>>(), Arg.Do<StoredAggregate?>(commits.Add), Arg.Any<StoredAggregate?>(), Arg.Any<CancellationToken>())
            .Returns(false, true);

        await Builder().ApplyAsync("cy", [new AuthorRowChange("cy", Paper("p5", "2024-03-01", 1, author: "Cy"), null)], CancellationToken.None);

        Assert.Equal(["p9", "p5", "p1"], commits[^1]!.Ledger!.Select(p => p.Id));
    }

    private ProfileBuilder Builder() =>
        new(store, new ScoringPipeline([], NullLogger<ScoringPipeline>.Instance), Options.Create(new ProfileOptions()), TimeProvider.System, NullLogger<ProfileBuilder>.Instance);

    private static AuthorPaper Paper(string id, string published, int citations, string author = "Ada") => new()
    {
        Id = id,
        Title = "Title " + id,
        Authors = [author, "Other Person"],
        AuthorCount = 2,
        Category = "cs.LG",
        Published = DateOnly.Parse(published, System.Globalization.CultureInfo.InvariantCulture),
        Citations = citations,
        AuthorName = author,
    };
}

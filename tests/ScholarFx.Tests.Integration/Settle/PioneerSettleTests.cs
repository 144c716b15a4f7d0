using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Settle;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Settle;

/// <summary>
/// The pioneer score through ingest and settling on a real Azurite: a paper has none while too few later papers exist,
/// gets one (with the later papers that followed it) when they arrive, its author's profile and ranking show it, a paper
/// that later papers start to follow moves up at the next settling, and a settling with nothing new writes nothing.
/// The minimum of later papers is set to 20 so that a small corpus reaches it.
/// </summary>
public sealed class PioneerSettleTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Scoring:NoveltyNeighbours"] = "5",
        ["Scoring:MinimumCohort"] = "5",
        ["Scoring:PioneerMinimumLater"] = "20",
    };

    private static readonly string[] Field =
    [
        "graph", "kernel", "attention", "sparse", "robust", "latent", "contrastive", "diffusion", "token", "policy",
        "reward", "manifold", "spectral", "causal", "prior", "posterior", "encoder", "decoder", "memory", "routing",
        "pruning", "distillation", "quantised", "federated", "curriculum", "adversarial", "meta", "retrieval", "caption", "segment",
    ];

    private static readonly string[] Idea = ["origami", "lattice", "folding", "crease", "tessellation", "kirigami", "mountain", "valley", "flatness", "rigidity", "pleat", "hinge"];

    private readonly AzuriteFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Pioneer_IsNullUntilLaterPapersExist_ThenAppearsWithItsFollowers_AndMovesAsLaterPapersArrive()
    {
        using var host = fixture.BuildHost(Settings, b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var settle = host.Services.GetRequiredService<SettleService>();
        var papers = host.Services.GetRequiredService<IPaperQueries>();
        var random = new Random(23);
        var tag = TestPapers.Unique("pioneer");
        var leaderAuthor = TestPapers.Unique("Leader Author");
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Field[random.Next(Field.Length)]));
        string Paper(string id, DateOnly date, string @abstract, string author) =>
            TestPapers.Paper($"Study {id} {tag}", [author], date.ToString("yyyy-MM-dd"), id: $"sfx:{tag}-{id}", @abstract: @abstract);

        // December 2022: eight papers of the field and the underdog; January 2023: the leader, with an idea of its own; then the field.
        var first = new List<string>();
        first.AddRange(Enumerable.Range(0, 8).Select(i => Paper($"early{i}", new DateOnly(2022, 12, 1).AddDays(i), Words(16), $"Early Author {tag} {i}")));
        var underdogWords = Words(16);
        first.Add(Paper("underdog", new DateOnly(2022, 12, 12), underdogWords, $"Underdog Author {tag}"));
        first.Add(Paper("leader", new DateOnly(2023, 1, 10), string.Join(' ', Idea), leaderAuthor));
        first.AddRange(Enumerable.Range(0, 15).Select(i => Paper($"field{i}", new DateOnly(2023, 1, 1).AddDays(i * 6), Words(16), $"Field Author {tag} {i}")));
        await fixture.IngestAsync(await fixture.UploadAsync($"{tag}/first.jsonl", TestPapers.Lines([.. first])), host.Services);
        Assert.True((await settle.SettleAsync(everything: false, CancellationToken.None)).Ran);

        var before = await papers.GetPaperAsync($"sfx:{tag}-leader", CancellationToken.None);
        Assert.Null(before!.Pioneer);
        Assert.Equal("fewer than 20 later papers in its window (60 to 730 days after it) yet", before.PioneerExplanation.Reason);
        Assert.Equal("pioneer/1", before.PioneerExplanation.Version);
        Assert.InRange(before.PioneerExplanation.LaterPapers!.Value, 0, 19);

        // April 2023 – June 2024: 12 papers that take up the leader's idea among 28 more of the field.
        var second = new List<string>();
        second.AddRange(Enumerable.Range(0, 12).Select(i => Paper($"follower{i}", new DateOnly(2023, 4, 1).AddDays(i * 30), string.Join(' ', Idea) + " " + Words(6), $"Follower Author {tag} {i}")));
        second.AddRange(Enumerable.Range(0, 28).Select(i => Paper($"later{i}", new DateOnly(2023, 4, 5).AddDays(i * 16), Words(16), $"Later Author {tag} {i}")));
        await fixture.IngestAsync(await fixture.UploadAsync($"{tag}/second.jsonl", TestPapers.Lines([.. second])), host.Services);
        Assert.True((await settle.SettleAsync(everything: false, CancellationToken.None)).Ran);

        var leader = await papers.GetPaperAsync($"sfx:{tag}-leader", CancellationToken.None);
        Assert.NotNull(leader!.Pioneer);
        Assert.True(leader.Pioneer > 50, $"the leader's pioneer is {leader.Pioneer}");
        Assert.True(leader.PioneerExplanation.LaterPapers >= 20);
        Assert.True(leader.PioneerExplanation.FollowerCount >= 12);
        Assert.Equal(5, leader.PioneerExplanation.Followers.Count);
        Assert.All(leader.PioneerExplanation.Followers, f =>
        {
            Assert.StartsWith($"sfx:{tag}-follower", f.Id, StringComparison.Ordinal);
            Assert.StartsWith("Study follower", f.Title, StringComparison.Ordinal);
        });

        // The paper JSON carries both beside novelty; the author's profile and the pioneer ranking show the figure.
        var json = JsonSerializer.SerializeToElement(leader, ScholarFx.Core.ScholarFxJson.Options);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("pioneer").ValueKind);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("pioneerExplanation").GetProperty("followers").ValueKind);
        var authorId = AuthorKey.FromName(leaderAuthor);
        var profile = JsonDocument.Parse((await host.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(authorId, CancellationToken.None))!.Json).RootElement;
        Assert.Equal((int)Math.Round(leader.Pioneer!.Value, MidpointRounding.AwayFromZero), profile.GetProperty("pioneer").GetInt32());
        Assert.Equal(leader.Pioneer, profile.GetProperty("papers")[0].GetProperty("pioneer").GetDouble());
        var ranked = await host.Services.GetRequiredService<IProfileLists>().ListAsync(null, "pioneer", null, 100, CancellationToken.None);
        Assert.Contains(ranked.Value!.Items, e => e.AuthorId == authorId && e.Value == profile.GetProperty("pioneer").GetInt32());

        var underdogBefore = await papers.GetPaperAsync($"sfx:{tag}-underdog", CancellationToken.None);
        Assert.NotNull(underdogBefore!.Pioneer);

        // July – November 2024: 12 papers take up the underdog's words.
        var third = Enumerable.Range(0, 12).Select(i => Paper($"underdog-follower{i}", new DateOnly(2024, 7, 1).AddDays(i * 12),
            string.Join(' ', underdogWords.Split(' ').Take(13)) + " " + Words(3), $"Underdog Follower {tag} {i}")).ToArray();
        await fixture.IngestAsync(await fixture.UploadAsync($"{tag}/third.jsonl", TestPapers.Lines(third)), host.Services);
        Assert.True((await settle.SettleAsync(everything: false, CancellationToken.None)).Ran);

        var underdog = await papers.GetPaperAsync($"sfx:{tag}-underdog", CancellationToken.None);
        Assert.True(underdog!.Pioneer > underdogBefore.Pioneer, $"underdog {underdogBefore.Pioneer} → {underdog.Pioneer}");
        Assert.True(underdog.PioneerExplanation.FollowerCount > underdogBefore.PioneerExplanation.FollowerCount);
        Assert.Contains(underdog.PioneerExplanation.Followers, f => f.Id.StartsWith($"sfx:{tag}-underdog-follower", StringComparison.Ordinal));

        // Nothing new: no paper's pioneer (or any score) is written again.
        var again = await settle.SettleAsync(everything: false, CancellationToken.None);
        Assert.True(again.Ran);
        Assert.Equal(0, again.PapersWritten);
    }

    [Fact]
    public async Task WhileAFileIsInFlight_PioneerChangesWait_AndAreWrittenOnceTheBurstEnds()
    {
        using var host = fixture.BuildHost(Settings, b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var settle = host.Services.GetRequiredService<SettleService>();
        var papers = host.Services.GetRequiredService<IPaperQueries>();
        var random = new Random(29);
        var tag = TestPapers.Unique("burst");
        string Paper(int i, DateOnly date) => TestPapers.Paper($"Burst {i} {tag}", [$"Burst Author {tag} {i % 7}"], date.ToString("yyyy-MM-dd"), id: $"sfx:{tag}-{i}",
            @abstract: string.Join(' ', Enumerable.Range(0, 16).Select(_ => Field[random.Next(Field.Length)])));

        // Early papers, and two years of later ones: enough for the early papers' pioneer.
        await fixture.IngestAsync(await fixture.UploadAsync($"{tag}/early.jsonl", TestPapers.Lines([.. Enumerable.Range(0, 10).Select(i => Paper(i, new DateOnly(2022, 1, 1).AddDays(i)))])), host.Services);
        await fixture.IngestAsync(await fixture.UploadAsync($"{tag}/later.jsonl", TestPapers.Lines([.. Enumerable.Range(10, 40).Select(i => Paper(i, new DateOnly(2022, 4, 1).AddDays(i * 12)))])), host.Services);

        // Another invocation is still ingesting a file that has come as far as 2030 (after every paper here).
        var receipts = host.Services.GetRequiredService<ScholarFx.Core.Storage.ReceiptStore>();
        var inFlight = new ScholarFx.Core.Storage.Receipt
        {
            Blob = $"{tag}/in-flight.jsonl", BlobETag = "\"1\"", Status = ScholarFx.Core.Storage.ReceiptStatus.Processing, Owner = "another-invocation",
            LeaseUntil = DateTimeOffset.UtcNow.AddMinutes(10), Watermark = new DateOnly(2030, 1, 1), StartedAt = DateTimeOffset.UtcNow,
        };
        await receipts.WriteAsync(inFlight, CancellationToken.None);
        var held = await settle.SettleAsync(everything: false, CancellationToken.None);

        // Novelty and the AI score are settled; no pioneer is written yet, and the burst stays open.
        Assert.True(held.HeldBack > 0);
        // Paper 9: the last of the early papers, with nine earlier ones to rank its pioneer against.
        var early = await papers.GetPaperAsync($"sfx:{tag}-9", CancellationToken.None);
        Assert.False(early!.NoveltyExplanation.Provisional);
        Assert.Null(early.Pioneer);

        // The file ends: the next round writes every pioneer, and one more writes nothing.
        await receipts.WriteAsync(inFlight with { Status = ScholarFx.Core.Storage.ReceiptStatus.Succeeded, LeaseUntil = null }, CancellationToken.None);
        var ended = await settle.SettleAsync(everything: false, CancellationToken.None);
        Assert.Equal(0, ended.HeldBack);
        var settled = await papers.GetPaperAsync($"sfx:{tag}-9", CancellationToken.None);
        Assert.True(settled!.Pioneer is not null, $"{settled.PioneerExplanation.Reason} ({settled.PioneerExplanation.LaterPapers} later; written {ended.PapersWritten})");
        Assert.Equal(0, (await settle.SettleAsync(everything: false, CancellationToken.None)).PapersWritten);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Discovery;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Discovery;

/// <summary>Similar papers and search by meaning over a real Azurite and MiniLM: ranking, date and category filters, limits.</summary>
public sealed class PaperDiscoveryTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AzuriteFixture, Task> Seeded = [];

    private static readonly (string Topic, string Category, string Abstract)[] Topics =
    [
        ("protein folding", "q-bio.BM", "We predict the three-dimensional structure of proteins from their amino acid sequence with a structure module."),
        ("speech recognition", "cs.CL", "We transcribe spoken audio into text with an acoustic model trained on hours of recorded speech."),
        ("galaxy formation", "astro-ph.GA", "We simulate how galaxies form and merge inside dark matter halos across cosmic time."),
    ];

    public Task InitializeAsync() => Seeded.GetValue(fixture, _ => SeedAsync());

    public Task DisposeAsync() => Task.CompletedTask;

    private IPaperDiscovery Discovery => fixture.Services.GetRequiredService<IPaperDiscovery>();

    private static string Id(int topic, int month) => $"sfx:discovery-{topic}-{month}";

    // Four papers per topic, one every three months of 2024.
    private async Task SeedAsync()
    {
        var lines = new List<string>();
        for (var t = 0; t < Topics.Length; t++)
        {
            for (var month = 1; month <= 10; month += 3)
            {
                lines.Add(TestPapers.Paper($"Advances in {Topics[t].Topic}, part {month}", [$"Researcher {t}"], $"2024-{month:D2}-15",
                    category: Topics[t].Category, @abstract: Topics[t].Abstract + $" Variant {month}.", id: Id(t, month)));
            }
        }

        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("discovery") + ".jsonl", TestPapers.Lines([.. lines])));
        await fixture.Services.GetRequiredService<ScholarFx.Core.Settle.SettleService>().SettleAsync(everything: true, CancellationToken.None);
    }

    [Fact]
    public async Task SimilarPapers_AreThoseOnTheSameTopicFirst_WithoutThePaperItself()
    {
        var result = await Discovery.SimilarAsync(Id(0, 4), 3, null, null, CancellationToken.None);

        var found = result.Value!.Papers;
        Assert.Equal([Id(0, 1), Id(0, 10), Id(0, 7)], found.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(found.OrderByDescending(p => p.Similarity).Select(p => p.Id), found.Select(p => p.Id));
        Assert.All(found, p => Assert.StartsWith("Advances in protein folding", p.Title, StringComparison.Ordinal));
        Assert.Equal("all-MiniLM-L6-v2", result.Value.Model);
    }

    [Fact]
    public async Task BeforeAndAfter_KeepWhatItBuiltOn_OrWhatFollowedIt()
    {
        var earlier = await Discovery.SimilarAsync(Id(0, 7), 3, "true", null, CancellationToken.None);
        var later = await Discovery.SimilarAsync(Id(0, 7), 3, null, "true", CancellationToken.None);
        var byDate = await Discovery.SimilarAsync(Id(0, 7), 20, "2024-05-01", "2024-03-01", CancellationToken.None);

        Assert.Equal([Id(0, 4), Id(0, 1)], earlier.Value!.Papers.Take(2).Select(p => p.Id).Order(StringComparer.Ordinal).Reverse());
        Assert.All(earlier.Value.Papers, p => Assert.True(string.CompareOrdinal(p.Published, "2024-07-15") < 0));
        Assert.Equal(Id(0, 10), later.Value!.Papers[0].Id);
        Assert.All(later.Value.Papers, p => Assert.True(string.CompareOrdinal(p.Published, "2024-07-15") > 0));
        Assert.All(byDate.Value!.Papers, p => Assert.Equal("2024-04-15", p.Published));
        Assert.Equal(3, byDate.Value.Papers.Count);
    }

    [Fact]
    public async Task SearchByMeaning_RanksTheTopicFirst_AndFiltersByCategoryAndDate()
    {
        var found = await Discovery.SearchAsync("how do proteins fold into their structure", null, null, null, 4, CancellationToken.None);
        var inCategory = await Discovery.SearchAsync("how do proteins fold into their structure", "cs.CL", null, null, 10, CancellationToken.None);
        var inDates = await Discovery.SearchAsync("galaxies and dark matter", null, "2024-04-01", "2024-08-01", 10, CancellationToken.None);

        Assert.All(found.Value!.Papers, p => Assert.Equal("q-bio.BM", p.Category));
        Assert.Equal(4, found.Value.Papers.Count);
        Assert.All(inCategory.Value!.Papers, p => Assert.Equal("cs.CL", p.Category));
        Assert.Equal(4, inCategory.Value.Papers.Count);
        Assert.All(inDates.Value!.Papers, p => Assert.InRange(p.Published, "2024-04-01", "2024-08-01"));
        Assert.Equal("astro-ph.GA", inDates.Value.Papers[0].Category);
    }

    [Fact]
    public async Task AuthorsByTopic_RankWhoWorksOnIt_ByTheirClosestPapers()
    {
        var topics = fixture.Services.GetRequiredService<ITopicAuthors>();
        var result = await topics.AuthorsByTopicAsync("simulating galaxies in dark matter halos", 3, CancellationToken.None);
        var bad = await topics.AuthorsByTopicAsync(" ", 3, CancellationToken.None);

        var authors = result.Value!.Authors;
        Assert.Equal("researcher-2", authors[0].Id);
        Assert.Equal(4, authors[0].Papers);
        Assert.Equal(TopicAuthors.PapersPerAuthor, authors[0].Closest.Count);
        Assert.All(authors[0].Closest, p => Assert.Equal("astro-ph.GA", p.Category));
        Assert.Equal(Math.Round(authors[0].Closest.Sum(p => p.Similarity) / 3, 3), Math.Round(authors[0].Score, 3));
        Assert.Equal(authors.OrderByDescending(a => a.Score).Select(a => a.Id), authors.Select(a => a.Id));
        Assert.Contains("topic is 1–1,000", bad.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, null, 10, "q is 1–1,000")]
    [InlineData("x", null, null, 101, "top is 1–100")]
    [InlineData("x", null, null, 0, "top is 1–100")]
    [InlineData("x", "March", null, 10, "from and to are dates")]
    public async Task BadSearches_AreProblems(string? q, string? from, string? to, int top, string expected)
    {
        var result = await Discovery.SearchAsync(q, null, from, to, top, CancellationToken.None);

        Assert.Contains(expected, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverHttp_AnUnknownPaperIs404_AndTheRoutesDoNotShadowThePaper()
    {
        await using var host = await RunningLocalHost.StartAsync(fixture, new Dictionary<string, string?>());

        using var unknown = await host.Http.GetAsync("/api/papers/sfx%3Anothing-here/similar");
        using var bad = await host.Http.GetAsync($"/api/papers/{Uri.EscapeDataString(Id(1, 1))}/similar?before=someday");
        var similar = JsonDocument.Parse(await host.Http.GetStringAsync($"/api/papers/{Uri.EscapeDataString(Id(1, 1))}/similar?top=2")).RootElement;
        var search = JsonDocument.Parse(await host.Http.GetStringAsync("/api/papers?q=speech+to+text&top=2")).RootElement;
        var paper = JsonDocument.Parse(await host.Http.GetStringAsync($"/api/papers/{Uri.EscapeDataString(Id(1, 1))}")).RootElement;
        var topic = JsonDocument.Parse(await host.Http.GetStringAsync("/api/profiles?topic=speech+recognition&top=1")).RootElement;
        using var mixed = await host.Http.GetAsync("/api/profiles?topic=speech&sort=hIndex");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(2, similar.GetProperty("papers").GetArrayLength());
        Assert.Equal("cs.CL", search.GetProperty("papers")[0].GetProperty("category").GetString());
        Assert.Equal(Id(1, 1), paper.GetProperty("id").GetString());
        Assert.Equal("researcher-1", topic.GetProperty("authors")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
    }
}

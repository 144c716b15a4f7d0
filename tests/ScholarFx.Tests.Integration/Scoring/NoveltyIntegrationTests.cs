using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Scoring;

/// <summary>
/// Novelty through the real pipeline: all-MiniLM-L6-v2 embeddings, Azurite storage, the nightly rescore. Each test
/// has its own Azurite (the index covers a whole storage account). About 60 real encodings in all.
/// </summary>
public sealed class NoveltyIntegrationTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> SmallCorpusSettings = new()
    {
        ["Scoring:NoveltyNeighbours"] = "3",
        ["Scoring:MinimumCohort"] = "5",
    };

    private readonly AzuriteFixture chronological = new();
    private readonly AzuriteFixture backfilled = new();

    public async Task InitializeAsync()
    {
        try
        {
            await Task.WhenAll(chronological.InitializeAsync(), backfilled.InitializeAsync());
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails: stop whichever Azurite did start.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await chronological.DisposeAsync();
        await backfilled.DisposeAsync();
    }

    [Fact]
    public async Task IngestedPapers_GetNoveltyWithExplanations_AndProfilesShowTheMean()
    {
        using var host = chronological.BuildHost(SmallCorpusSettings);
        var corpus = TopicCorpus.Papers();
        await chronological.IngestAsync(await chronological.UploadAsync("corpus.jsonl", TestPapers.Lines([.. corpus])), host.Services);

        var papers = host.Services.GetRequiredService<IPaperQueries>();
        var first = await papers.GetPaperAsync("sfx:p00", CancellationToken.None);
        var late = await papers.GetPaperAsync("sfx:p19", CancellationToken.None);

        Assert.Null(first!.Novelty);
        Assert.StartsWith("fewer than 3 earlier papers", first.NoveltyExplanation.Reason, StringComparison.Ordinal);
        Assert.NotNull(late!.Novelty);
        Assert.InRange(late.Novelty!.Value, 0, 100);
        var explanation = late.NoveltyExplanation;
        Assert.Equal(3, explanation.Neighbours.Count);
        Assert.All(explanation.Neighbours, n => Assert.StartsWith("On ", n.Title, StringComparison.Ordinal));
        Assert.Equal(3, explanation.K);
        Assert.InRange(explanation.Raw!.Value, 0, 2);
        Assert.Equal("all-MiniLM-L6-v2", explanation.Model);
        var profile = await host.Services.GetRequiredService<ScholarFx.Core.Profiles.IProfileQueries>().GetProfileAsync("novelty-author", CancellationToken.None);
        var json = JsonDocument.Parse(profile!.Json).RootElement;
        Assert.True(json.GetProperty("scoredPaperCount").GetInt32() > 10);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("novelty").ValueKind);
        Assert.Equal("all-MiniLM-L6-v2", json.GetProperty("scoring").GetProperty("embeddingModel").GetString());
    }

    [Fact]
    public async Task BackfilledEarlierPapers_AfterSettling_MatchChronologicalIngest()
    {
        var corpus = TopicCorpus.Papers();
        using var inOrder = chronological.BuildHost(SmallCorpusSettings);
        await chronological.IngestAsync(await chronological.UploadAsync("all.jsonl", TestPapers.Lines([.. corpus])), inOrder.Services);
        await inOrder.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None);

        using var later = backfilled.BuildHost(SmallCorpusSettings);
        await backfilled.IngestAsync(await backfilled.UploadAsync("later.jsonl", TestPapers.Lines([.. corpus.Skip(8)])), later.Services);
        await backfilled.IngestAsync(await backfilled.UploadAsync("earlier.jsonl", TestPapers.Lines([.. corpus.Take(8)])), later.Services);
        var settled = await later.Services.GetRequiredService<SettleService>().SettleAsync(everything: false, CancellationToken.None);

        Assert.True(settled.Recomputed > 0);
        var expected = inOrder.Services.GetRequiredService<IPaperQueries>();
        var actual = later.Services.GetRequiredService<IPaperQueries>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var id = $"sfx:p{i:D2}";
            var a = await expected.GetPaperAsync(id, CancellationToken.None);
            var b = await actual.GetPaperAsync(id, CancellationToken.None);
            Assert.Equal(a!.NoveltyExplanation.Reason, b!.NoveltyExplanation.Reason);
            Assert.Equal(a.Novelty ?? -1, b.Novelty ?? -1, 6);
        }
    }
}

/// <summary>Twenty abstracts written for this test in four topics (vision, language, physics, biology), dated in order.</summary>
internal static class TopicCorpus
{
    private static readonly string[][] Topics =
    [
        ["image segmentation", "convolutional backbones", "pixel-level labels", "object boundaries", "semantic masks"],
        ["language models", "token prediction", "instruction tuning", "text generation", "dialogue benchmarks"],
        ["quantum spin chains", "entanglement entropy", "lattice Hamiltonians", "critical exponents", "tensor networks"],
        ["protein folding", "amino acid sequences", "structure prediction", "binding affinity", "molecular dynamics"],
    ];

    public static List<string> Papers()
    {
        var papers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var topic = Topics[i % 4];
            var (a, b, c) = (topic[i % 5], topic[(i + 2) % 5], topic[(i + 4) % 5]);
            var title = $"On {a} and {b}, part {i}";
            var text = $"We study {a} in the setting of {b}. Building on earlier work on {c}, we propose a method that improves {a} " +
                       $"and evaluate it on three datasets, reporting gains of {i + 3}% over strong baselines. We release code.";
            papers.Add(TestPapers.Paper(title, ["Novelty Author", $"Topic Author {i % 4}"], new DateOnly(2024, 1, 1).AddDays(i * 9).ToString("yyyy-MM-dd"),
                category: i % 4 < 2 ? "cs.LG" : "physics", @abstract: text, id: $"sfx:p{i:D2}"));
        }

        return papers;
    }
}

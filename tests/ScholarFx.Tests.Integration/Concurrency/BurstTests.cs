using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Storage;
using ScholarFx.TestSupport;
using ScholarFx.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Integration.Concurrency;

/// <summary>
/// Issue 12: a burst of 2,000 files for 200 authors who share papers, ingested eight at a time (the host's blob
/// concurrency and more), so many invocations update one author's profile at once. Every file must end with a final
/// receipt, and every profile must hold exactly the papers generated for its author.
/// </summary>
public sealed class BurstTests(AzuriteFixture fixture, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int Files = 2_000;
    private const int Authors = 200;

    [Fact]
    public async Task TwoThousandFilesForTwoHundredOverlappingAuthors_AllFinish_AndEveryProfileMatchesItsPapers()
    {
        using var host = fixture.BuildHost(configure: b => b.Services.AddSingleton<ITextEmbedder, HashingTestEmbedder>());
        var tag = TestPapers.Unique("burst");
        string Author(int i) => $"Burst {tag} Author{i:D3}";
        // File f holds one paper by three authors, f, f + 1 and f + 7 (mod 200), cited f % 13 times.
        int[] AuthorsOf(int f) => [f % Authors, (f + 1) % Authors, (f + 7) % Authors];
        var names = new string[Files];
        await Parallel.ForAsync(0, Files, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (f, _) =>
            names[f] = await fixture.UploadAsync($"{tag}/{f:D4}.json", TestPapers.Paper(
                $"Burst paper {f} {tag}", [.. AuthorsOf(f).Select(Author)], new DateOnly(2015, 1, 1).AddDays(f).ToString("yyyy-MM-dd"), citations: f % 13, id: $"sfx:{tag}-{f}")));
        var watch = Stopwatch.StartNew();

        var receipts = new Receipt[Files];
        await Parallel.ForAsync(0, Files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (f, _) => receipts[f] = await fixture.IngestAsync(names[f], host.Services));

        output.WriteLine($"{Files} files ingested in {watch.Elapsed.TotalSeconds:F0} s");
        Assert.All(receipts, r => Assert.Equal((ReceiptStatus.Succeeded, 1), (r.Status, r.PapersCreated)));
        var profiles = host.Services.GetRequiredService<IProfileQueries>();
        for (var a = 0; a < Authors; a++)
        {
            var theirs = Enumerable.Range(0, Files).Where(f => AuthorsOf(f).Contains(a)).ToList();
            var document = await profiles.GetProfileAsync(AuthorKey.FromName(Author(a)), CancellationToken.None);
            Assert.NotNull(document);
            var profile = JsonDocument.Parse(document.Json).RootElement;
            var citations = theirs.Select(f => f % 13).OrderDescending().ToList();
            Assert.Equal(
                (theirs.Count, citations.Sum(), citations.Select((c, i) => (c, i)).Count(x => x.c >= x.i + 1)),
                (profile.GetProperty("paperCount").GetInt32(), profile.GetProperty("citationCount").GetInt32(), profile.GetProperty("hIndex").GetInt32()));
        }
    }
}

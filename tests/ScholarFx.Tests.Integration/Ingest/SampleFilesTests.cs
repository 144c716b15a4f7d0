using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>Every file of samples/, uploaded as <c>--samples</c> does, on an Azurite of its own.</summary>
public sealed class SampleFilesTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task EverySample_IsIngestedWithoutRejects_AndGivesTheProfilesSamplesReadmeStates()
    {
        var uploaded = await LocalFunctionHost.UploadSamplesAsync(fixture.Storage, fixture.RepositoryRoot, CancellationToken.None);

        var receipts = new List<Receipt>();
        foreach (var name in uploaded)
        {
            receipts.Add(await fixture.IngestAsync(name));
        }

        // The curators' corrections are not an upload: they go through the curators' route's service.
        var curations = await LocalFunctionHost.ApplySampleCurationsAsync(fixture.Services, fixture.RepositoryRoot, CancellationToken.None);

        Assert.Equal(
            ["arxiv-atom", "arxiv-snapshot", "bibtex", "scholarfx-json", "openalex", "scholarfx-json", "semantic-scholar", "scholarfx-json"],
            receipts.Select(r => r.Format));
        Assert.Equal((2, 2, 0), (curations.Single().Read, curations.Single().Applied, curations.Single().Errors.Count));
        Assert.All(receipts, r => Assert.Equal((ReceiptStatus.Succeeded, 0), (r.Status, r.RecordsRejected)));
        Assert.Equal(34, receipts.Sum(r => r.PapersCreated));
        // The table of samples/README.md. Tomás Ferreira is also on one of Boyu Shi's papers (3 citations).
        (string Id, int Papers, int Citations, int HIndex, string Category)[] expected =
        [
            ("boyu-shi", 8, 21, 3, "cs.LG"), ("ingrid-halvorsen", 4, 26, 2, "stat.ML"), ("0000-0003-0921-661X", 4, 25, 3, "cs.DC"),
            ("0000-0003-4172-9183", 4, 17, 3, "quant-ph"), ("kwame-mensah", 4, 17, 2, "cs.CL"), ("camille-dubois", 3, 11, 1, "hep-th"),
            ("0000-0001-5588-2045", 2, 9, 2, "cs.DC"), ("0000-0002-7194-3300", 2, 18, 2, "Chemistry"),
        ];
        var actual = new List<(string, int, int, int, string?)>();
        foreach (var author in expected)
        {
            actual.Add(await FiguresAsync(author.Id));
        }

        Assert.Equal(expected.Select(e => ((string, int, int, int, string?))e), actual);

        var speculative = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync("doi:10.5555/sfx.2025.0207", CancellationToken.None);
        // In the Atom feed first (its date and category), cited in OpenAlex, where its later journal date loses.
        Assert.Equal(("arxiv:2502.04567", 5, "2025-02-07", "cs.DC"), (speculative?.Id, speculative?.Citations, speculative?.Published, speculative?.Category));
        Assert.Equal("0000-0003-0921-661X", speculative?.Authors[0].Orcid);
        // The count keeps where and when it came from.
        Assert.Equal("openalex", speculative?.CitationsSource);
        Assert.NotNull(speculative?.CitationsAsOf);
    }

    private async Task<(string Id, int Papers, int Citations, int HIndex, string? Category)> FiguresAsync(string authorId)
    {
        var profile = await fixture.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(authorId, CancellationToken.None);
        Assert.True(profile is { MovedTo: null }, $"no profile {authorId}");
        var json = JsonDocument.Parse(profile.Json).RootElement;
        return (authorId, json.GetProperty("paperCount").GetInt32(), json.GetProperty("citationCount").GetInt32(),
            json.GetProperty("hIndex").GetInt32(), json.GetProperty("primaryCategory").GetString());
    }
}

using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>
/// Issue 29 part 4: a paper is a deterministic merge of its sources, and one uploader cannot rewrite another's. Lab A
/// (folder <c>zeta-lab</c>) stores its file first, lab B (<c>alpha-lab</c>, a name that sorts first) a second later;
/// lab B's record of the same paper has another title, far more citations, another date and authors, and a retraction.
/// </summary>
public sealed class SourcePrecedenceTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private const string LabA = "zeta-lab";
    private const string LabB = "alpha-lab";

    [Fact]
    public async Task LabAStoredFirst_GivesTheSamePaperWhicheverIsProcessedFirst_AndLabBCannotRewriteIt()
    {
        var (aFirst, aFirstTag) = await StoreBothAsync();
        var (bFirst, bFirstTag) = await StoreBothAsync();

        await fixture.IngestAsync(aFirst.A);
        await fixture.IngestAsync(aFirst.B);
        await fixture.IngestAsync(bFirst.B);
        await fixture.IngestAsync(bFirst.A);

        var one = await PaperAsync(aFirstTag);
        var other = await PaperAsync(bFirstTag);
        Assert.Equal(Shape(one, aFirstTag), Shape(other, bFirstTag));
        // Lab A's title, citations, date and authors; not retracted; lab B's claims kept and shown.
        Assert.Equal(($"Sources {aFirstTag} as lab A states it", 4, "2023-04-04", false), (one.Title, one.Citations, one.Published, one.Retracted));
        Assert.Equal([$"Ada {aFirstTag}", $"Bea {aFirstTag}"], one.Authors.Select(a => a.Name));
        Assert.Equal([LabA, LabB], one.Uploaders);
        Assert.Equal(
            ["abstract", "authors", "citations", "published", "retracted", "title"],
            one.Conflicts.Where(c => c.Uploader == LabB).Select(c => c.Field).Distinct().Order(StringComparer.Ordinal));
        Assert.All(one.Conflicts, c => Assert.Equal(LabB, c.Uploader));
    }

    [Fact]
    public async Task LabACorrectsItsOwnPaper_ATrustedSourcesNewerCountIsTaken()
    {
        var (files, tag) = await StoreBothAsync();
        await fixture.IngestAsync(files.A);
        await fixture.IngestAsync(files.B);

        // Lab A's newer file replaces its own record: a new title and a lower count are taken.
        await fixture.IngestAsync(await fixture.UploadAsync($"{LabA}/{tag}-correction.json",
            TestPapers.Paper($"Sources {tag} as lab A corrects it", [$"Ada {tag}", $"Bea {tag}"], "2023-04-04", citations: 3, id: "sfx:" + tag)));
        var corrected = await PaperAsync(tag);
        Assert.Equal(($"Sources {tag} as lab A corrects it", 3), (corrected.Title, corrected.Citations));

        // A trusted harvester's count is taken over the labs'; the newest of its counts wins.
        using var trusting = fixture.BuildHost(new Dictionary<string, string?> { ["Sources:Trusted"] = "harvest/openalex" });
        await fixture.IngestAsync(await fixture.UploadAsync($"harvest/openalex/{tag}/000001.json",
            TestPapers.Paper($"Sources {tag} as lab A corrects it", [$"Ada {tag}", $"Bea {tag}"], "2023-04-04", citations: 25, id: "sfx:" + tag)), trusting.Services);
        var harvested = await PaperAsync(tag);
        Assert.Equal((25, "scholarfx-json"), (harvested.Citations, harvested.CitationsSource));
        Assert.Equal(["harvest/openalex", LabA, LabB], harvested.Uploaders);
        var stored = await fixture.Services.GetRequiredService<IPaperStore>().GetPaperAsync("sfx:" + tag, CancellationToken.None);
        Assert.Equal(stored!.Claims.Single(c => c.Uploader == "harvest/openalex").Stored, harvested.CitationsAsOf);
    }

    [Fact]
    public async Task TwoHostsIngestingBothLabsSideBySide_EndEqualToOneHost()
    {
        var (single, singleTag) = await StoreBothAsync();
        var (raced, racedTag) = await StoreBothAsync();
        await fixture.IngestAsync(single.A);
        await fixture.IngestAsync(single.B);

        // Lab A's paper write on one host waits until the other host has ingested lab B's file: A's write then
        // conflicts and is merged again into what B stored.
        using var other = fixture.BuildHost();
        var hold = new BeforeFirstRequest(m => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/Papers", StringComparison.Ordinal),
            async () => await fixture.IngestAsync(raced.B, other.Services));
        using var held = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(hold, HttpPipelinePosition.PerCall))));
        await fixture.IngestAsync(raced.A, held.Services);

        Assert.True(hold.Ran);
        Assert.Equal(Shape(await PaperAsync(singleTag), singleTag), Shape(await PaperAsync(racedTag), racedTag));
    }

    [Fact]
    public async Task AFilePostedToTheApi_IsFromTheConfiguredApiUploader()
    {
        var tag = TestPapers.Unique("src");
        using var host = fixture.BuildHost(new Dictionary<string, string?> { ["Sources:ApiUploader"] = "api-callers" });
        var paper = TestPapers.Paper($"Sources {tag} posted", [$"Ada {tag}"], "2023-04-04", id: "sfx:" + tag);

        var upload = await host.Services.GetRequiredService<ScholarFx.Core.Ingest.IAbstractUploads>()
            .StoreAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(paper)), null, "posted.json", CancellationToken.None);
        await fixture.IngestAsync(upload.BlobName!, host.Services);

        Assert.StartsWith("api-callers/", upload.BlobName, StringComparison.Ordinal);
        Assert.Equal(["api-callers"], (await PaperAsync(tag)).Uploaders);
    }

    /// <summary>Stores lab A's file, then a second later (blob times have seconds) lab B's record of the same paper.</summary>
    private async Task<((string A, string B) Files, string Tag)> StoreBothAsync()
    {
        var tag = TestPapers.Unique("src");
        var a = await fixture.UploadAsync($"{LabA}/{tag}.json",
            TestPapers.Paper($"Sources {tag} as lab A states it", [$"Ada {tag}", $"Bea {tag}"], "2023-04-04", citations: 4, id: "sfx:" + tag));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var b = await fixture.UploadAsync($"{LabB}/{tag}.json",
            TestPapers.Paper($"Sources {tag} as lab B would have it", [$"Cyd {tag}"], "2021-01-01", citations: 900, id: "sfx:" + tag).TrimEnd('}') + ",\"retracted\":true}");
        return ((a, b), tag);
    }

    private async Task<PaperView> PaperAsync(string tag) =>
        await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync("sfx:" + tag, CancellationToken.None)
            ?? throw new InvalidOperationException("sfx:" + tag + " was not stored");

    /// <summary>What a reader sees of the paper, with the test's tag taken out so two runs compare.</summary>
    private static string Shape(PaperView p, string tag) => string.Join(
        " | ",
        p.Title, p.Abstract, p.Published, p.Citations, p.CitationsSource, p.Retracted, string.Join(";", p.Authors.Select(a => a.Name)), string.Join(",", p.Categories),
        string.Join(",", p.Sources), string.Join(",", p.Uploaders),
        string.Join(";", p.Conflicts.Select(c => $"{c.Field}={c.Value}@{c.Uploader}/{c.Format}>{c.TakenFrom}").Order(StringComparer.Ordinal))).Replace(tag, "#", StringComparison.Ordinal);
}

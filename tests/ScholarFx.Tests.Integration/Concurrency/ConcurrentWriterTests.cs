using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Concurrency;

/// <summary>
/// Issue 12: two writers on one paper. The race is made certain, not left to timing: the first writer's paper write is
/// held back until a second host has ingested another file describing the same paper; then it goes out.
/// </summary>
public sealed class ConcurrentWriterTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task TwoFilesWritingOnePaperAtOnce_BothKeepWhatTheyAdded()
    {
        var tag = TestPapers.Unique("race");
        var arxiv = $"2001.{Math.Abs(tag.GetHashCode(StringComparison.Ordinal)) % 90000 + 10000}";
        var author = "Racing Author " + tag;
        await fixture.IngestAsync(await fixture.UploadAsync(tag + "-first.jsonl", TestPapers.Paper("Race " + tag, [author], "2020-01-01", citations: 1, arxivId: arxiv)));
        // A correction from the same source (42 citations), and a BibTeX entry for the same paper (a new source). Blob
        // times have whole seconds: of two files of one source stored in one second, the later name is the newer.
        var correction = await fixture.UploadAsync(tag + "-second-correction.jsonl", TestPapers.Paper("Race " + tag, [author], "2020-01-01", citations: 42, arxivId: arxiv));
        var bibtex = await fixture.UploadAsync(tag + ".bib", $"@article{{k, title = {{Race {tag}}}, author = {{{author}}}, date = {{2020-01-01}}, abstract = {{Another source.}}, eprint = {{{arxiv}}}, archivePrefix = {{arXiv}}}}\n");
        using var other = fixture.BuildHost();
        var hold = new BeforeFirstRequest(message => message.Request.Method == RequestMethod.Put && message.Request.Uri.Path.Contains("/Papers(", StringComparison.Ordinal),
            async () => await fixture.IngestAsync(bibtex, other.Services));
        using var held = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(hold, HttpPipelinePosition.PerCall))));

        var receipt = await fixture.IngestAsync(correction, held.Services);

        Assert.True(hold.Ran);
        Assert.Equal(1, receipt.PapersUpdated + receipt.PapersMerged);
        var paper = await fixture.Services.GetRequiredService<IPaperStore>().GetPaperAsync("arxiv:" + arxiv, CancellationToken.None);
        Assert.NotNull(paper);
        Assert.Equal(42, paper.Citations);
        Assert.Equal(["scholarfx-json", "bibtex"], paper.Sources);
    }

    [Fact]
    public async Task SettlingWhileAFileAddsASource_KeepsTheSource_AndStillSettles()
    {
        // Settling used to read a paper, compute its scores and replace it whole: a source merged in between was lost.
        var tag = TestPapers.Unique("settlerace");
        var arxiv = $"2002.{Math.Abs(tag.GetHashCode(StringComparison.Ordinal)) % 90000 + 10000}";
        var author = "Settling Author " + tag;
        await fixture.IngestAsync(await fixture.UploadAsync(tag + ".jsonl", TestPapers.Paper("Settle race " + tag, [author], "2020-02-02", arxivId: arxiv)));
        // Stored after the first file (in the same second, its name sorts after it): the first file's text stays.
        var bibtex = await fixture.UploadAsync(tag + ".second.bib", $"@article{{k, title = {{Settle race {tag}}}, author = {{{author}}}, date = {{2020-02-02}}, abstract = {{Another source.}}, eprint = {{{arxiv}}}, archivePrefix = {{arXiv}}}}\n");
        using var other = fixture.BuildHost();
        // Settling writes a partition's papers in one transaction: held before the first that writes a paper.
        var hold = new BeforeFirstRequest(message => message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) && BodyOf(message).Contains("/Papers(", StringComparison.Ordinal),
            async () => await fixture.IngestAsync(bibtex, other.Services));
        using var held = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(hold, HttpPipelinePosition.PerCall))));

        await held.Services.GetRequiredService<ScholarFx.Core.Settle.SettleService>().SettleAsync(everything: true, CancellationToken.None);

        Assert.True(hold.Ran);
        var paper = await fixture.Services.GetRequiredService<IPaperStore>().GetPaperAsync("arxiv:" + arxiv, CancellationToken.None);
        Assert.Equal(["scholarfx-json", "bibtex"], paper!.Sources);
        var view = await fixture.Services.GetRequiredService<ScholarFx.Core.Papers.IPaperQueries>().GetPaperAsync("arxiv:" + arxiv, CancellationToken.None);
        Assert.False(view!.NoveltyExplanation.Provisional);
    }

    [Fact]
    public async Task TwoFirstSightingsOfOnePaperUnderDifferentIds_BecomeOnePaper()
    {
        // One file knows the paper by its arXiv id and DOI, the other by the DOI alone; neither is stored yet. The first
        // file's paper write is held until the second file is ingested: they used to make two papers for good.
        var tag = TestPapers.Unique("twin");
        var arxiv = $"2003.{Math.Abs(tag.GetHashCode(StringComparison.Ordinal)) % 90000 + 10000}";
        var doi = $"10.5555/{tag}";
        var author = "Twin Author " + tag;
        var both = await fixture.UploadAsync(tag + "-both.jsonl", TestPapers.Paper("Twin " + tag, [author], "2020-03-03", arxivId: arxiv, doi: doi));
        var doiOnly = await fixture.UploadAsync(tag + "-doi.jsonl", TestPapers.Paper("Twin " + tag, [author], "2020-03-03", citations: 7, doi: doi));
        using var other = fixture.BuildHost();
        var hold = new BeforeFirstRequest(message => message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/Papers", StringComparison.Ordinal),
            async () => await fixture.IngestAsync(doiOnly, other.Services));
        using var held = fixture.BuildHost(configure: b => b.Services.AddSingleton(new StorageClientSetup(o => o.AddPolicy(hold, HttpPipelinePosition.PerCall))));

        await fixture.IngestAsync(both, held.Services);

        Assert.True(hold.Ran);
        var queries = fixture.Services.GetRequiredService<ScholarFx.Core.Papers.IPaperQueries>();
        var byArxiv = await queries.GetPaperAsync("arxiv:" + arxiv, CancellationToken.None);
        var byDoi = await queries.GetPaperAsync("doi:" + doi, CancellationToken.None);
        Assert.NotNull(byArxiv);
        Assert.Equal(byArxiv.Id, byDoi?.Id);
        Assert.Equal(7, byArxiv.Citations);
        var profile = await fixture.Services.GetRequiredService<ScholarFx.Core.Profiles.IProfileQueries>().GetProfileAsync(ScholarFx.Core.Papers.AuthorKey.FromName(author), CancellationToken.None);
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(profile!.Json).RootElement.GetProperty("paperCount").GetInt32());
    }

    private static string BodyOf(HttpMessage message)
    {
        using var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}

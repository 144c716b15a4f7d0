using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>
/// Ingest looks up only the aliases a paper in its corpus view gives (issue 22): a paper stored by an instance whose
/// facts this view has not read — still on its way to the log, or lost with a writer that stopped before publishing —
/// must still be met, by the alias claim, and merged into rather than stored twice.
/// </summary>
public sealed class UnseenPaperMergeTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ARecordOfAPaperTheViewHasNotSeen_IsMergedIntoIt_NotStoredAgain()
    {
        // This host's view is loaded before the other instance writes.
        await fixture.Services.GetRequiredService<CorpusView>().UseAsync(s => s.Members.Count, CancellationToken.None);

        // The other instance stores the paper and its aliases, and its facts never reach the log.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString });
        builder.AddScholarFx();
        builder.Services.AddSingleton<ICorpusLog, SilentLog>();
        using var other = builder.Build();
        var author = TestPapers.Unique("Unseen Author");
        var arxiv = "2501." + Random.Shared.Next(10_000, 99_999);
        var doi = "10.5555/" + TestPapers.Unique("unseen");
        var first = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("unseen-a") + ".jsonl",
            TestPapers.Lines(TestPapers.Paper("A paper the view misses " + author, [author], "2024-04-01", citations: 3, arxivId: arxiv, doi: doi))), other.Services);
        Assert.Equal(1, first.PapersCreated);
        Assert.False(await fixture.Services.GetRequiredService<CorpusView>().UseAsync(s => s.MayHold("arxiv:" + arxiv) || s.MayHold("doi:" + doi), CancellationToken.None));

        // This host gets a record of it under its DOI alone, with a newer citation count.
        var second = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("unseen-b") + ".jsonl",
            TestPapers.Lines(TestPapers.Paper("A paper the view misses " + author, [author], "2024-04-01", citations: 9, doi: doi))));

        Assert.Equal(0, second.PapersCreated);
        var store = fixture.Services.GetRequiredService<IPaperStore>();
        var ids = await store.ResolveAliasesAsync(["doi:" + doi, "arxiv:" + arxiv], CancellationToken.None);
        Assert.Equal(ids["arxiv:" + arxiv], ids["doi:" + doi]);
        var paper = await store.GetPaperAsync(ids["doi:" + doi], CancellationToken.None);
        Assert.Equal(9, paper!.Citations);
        // Merged and published by this host: now the view knows both ids, and the next record of it is looked up.
        Assert.True(await fixture.Services.GetRequiredService<CorpusView>().UseAsync(s => s.MayHold("arxiv:" + arxiv) && s.MayHold("doi:" + doi), CancellationToken.None));
    }

    /// <summary>A corpus log that keeps nothing: an instance whose facts never reach the others.</summary>
    private sealed class SilentLog : ICorpusLog
    {
        public Task<LogPosition> AppendAsync(IEnumerable<byte[]> frames, CancellationToken cancellationToken) => Task.FromResult(LogPosition.Start);

        public Task<(IReadOnlyList<(byte[] Frame, LogPosition After)> Frames, LogPosition End)> ReadAsync(LogPosition from, CancellationToken cancellationToken) =>
            Task.FromResult<(IReadOnlyList<(byte[] Frame, LogPosition After)>, LogPosition)>(([], from));

        public Task WriteSnapshotAsync(LogPosition through, IEnumerable<byte[]> frames, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<(IReadOnlyList<byte[]> Frames, LogPosition Through)?> ReadSnapshotAsync(CancellationToken cancellationToken) =>
            Task.FromResult<(IReadOnlyList<byte[]> Frames, LogPosition Through)?>(null);
    }
}

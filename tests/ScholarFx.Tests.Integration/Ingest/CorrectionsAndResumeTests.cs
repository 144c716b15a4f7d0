using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>Retraction, year-only records that may only add to known papers, and resuming a file after its checkpoint.</summary>
public sealed class CorrectionsAndResumeTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ARetractedPaper_LeavesTheFigures_IsListedApart_StaysReadable_AndCanBeReinstated()
    {
        var author = TestPapers.Unique("Retracting Author");
        var id = "sfx:" + TestPapers.Unique("retract");
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("r0") + ".jsonl", TestPapers.Lines(
            TestPapers.Paper("Kept paper " + author, [author], "2022-01-01", citations: 4),
            TestPapers.Paper("Retracted paper " + author, [author], "2022-02-01", citations: 7, id: id))));
        Assert.Equal((2, 11), await FiguresAsync(author));

        // An uploader's retraction is shown as a conflict, not taken; a curator's is (Sources:Curators).
        var refused = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("r1") + ".json",
            Retracted(TestPapers.Paper("Retracted paper " + author, [author], "2022-02-01", citations: 7, id: id), true)));
        Assert.Equal((0, 1), (refused.PapersCreated, refused.PapersUnchanged));
        var notRetracted = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync(id, CancellationToken.None);
        Assert.False(notRetracted!.Retracted);
        Assert.Contains(notRetracted.Conflicts, c => (c.Field, c.Value) == ("retracted", "true"));
        using var curators = fixture.BuildHost(new Dictionary<string, string?> { ["Sources:Curators"] = "curation" });
        var receipt = await fixture.IngestAsync(await fixture.UploadAsync("curation/" + TestPapers.Unique("r1") + ".json",
            Retracted(TestPapers.Paper("Retracted paper " + author, [author], "2022-02-01", citations: 7, id: id), true)), curators.Services);

        Assert.Equal((0, 1), (receipt.PapersCreated, receipt.PapersUpdated));
        Assert.Equal((1, 4), await FiguresAsync(author));
        var paper = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync(id, CancellationToken.None);
        Assert.True(paper!.Retracted);
        Assert.NotNull(paper.RetractedAt);
        Assert.Equal(7, paper.Citations);
        // Listed apart, not dropped; the paged list of papers holds the kept one only.
        var profile = JsonDocument.Parse((await fixture.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None))!.Json).RootElement;
        Assert.Equal([id], profile.GetProperty("retractedPapers").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var pages = await fixture.Services.GetRequiredService<IProfileQueries>().GetPapersAsync(AuthorKey.FromName(author), null, 10, CancellationToken.None);
        Assert.Equal(["Kept paper " + author], pages.Value!.Items.Select(p => p.Title));

        await fixture.IngestAsync(await fixture.UploadAsync("curation/" + TestPapers.Unique("r2") + ".json",
            Retracted(TestPapers.Paper("Retracted paper " + author, [author], "2022-02-01", citations: 7, id: id), false)), curators.Services);
        Assert.Equal((2, 11), await FiguresAsync(author));
        var reinstated = JsonDocument.Parse((await fixture.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None))!.Json).RootElement;
        Assert.Empty(reinstated.GetProperty("retractedPapers").EnumerateArray());
    }

    [Fact]
    public async Task AYearOnlyRecord_AddsCitationsToAKnownPaper_ButCannotCreateOne()
    {
        var author = TestPapers.Unique("Year Author");
        var doi = "10.5555/" + TestPapers.Unique("year").ToLowerInvariant();
        await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("y0") + ".json", TestPapers.Paper("Dated paper " + author, [author], "2021-05-05", doi: doi)));

        // Semantic Scholar records with only a year: one for the stored paper (by DOI), one unknown.
        var s2 = JsonSerializer.Serialize(new object[]
        {
            new { paperId = "s2" + TestPapers.Unique("a"), externalIds = new { DOI = doi }, title = "Dated paper " + author, @abstract = "We study dated papers.", year = 2021, authors = new[] { new { name = author } }, citationCount = 42 },
            new { paperId = "s2" + TestPapers.Unique("b"), externalIds = new { DOI = doi + "-other" }, title = "Undated " + author, @abstract = "We study undated papers.", year = 2020, authors = new[] { new { name = author } }, citationCount = 3 },
        });
        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(TestPapers.Unique("y1") + ".json", s2));

        Assert.Equal(("semantic-scholar", "partial"), (receipt.Format, receipt.Status));
        var error = Assert.Single(receipt.Errors);
        Assert.Equal("record 2", error.Location);
        Assert.StartsWith("only 2020 is given as the publication date and no stored paper matches the record", error.Message, StringComparison.Ordinal);
        var paper = await fixture.Services.GetRequiredService<IPaperQueries>().GetPaperAsync("doi:" + doi, CancellationToken.None);
        Assert.Equal(42, paper!.Citations);
        Assert.Equal("2021-05-05", paper.Published);
        Assert.Equal((1, 42), await FiguresAsync(author));
    }

    [Fact]
    public async Task AnAttemptThatStopsPartWay_IsResumedAfterItsCheckpoint_WithoutLosingCountsOrErrors()
    {
        using var host = fixture.BuildHost(new Dictionary<string, string?> { ["Ingest:BatchSize"] = "10", ["Ingest:CheckpointEvery"] = "20" });
        var author = TestPapers.Unique("Resumed Author");
        // 60 papers of ~2 KB (so the file is well past the detector's 64 KiB head) and one broken line early on.
        var filler = string.Concat(Enumerable.Repeat("Measurements of long documents continue. ", 45));
        var lines = Enumerable.Range(0, 60).Select(i => TestPapers.Paper($"Resumed {i} {author}", [author], new DateOnly(2020, 1, 1).AddDays(i).ToString("yyyy-MM-dd"), @abstract: $"Part {i}. " + filler)).ToList();
        lines.Insert(4, "{ this line is broken");
        var content = Encoding.UTF8.GetBytes(TestPapers.Lines([.. lines]));
        var name = await fixture.UploadAsync(TestPapers.Unique("resume") + ".jsonl", Encoding.UTF8.GetString(content));
        var service = host.Services.GetRequiredService<IIngestService>();

        var etag = (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();

        // The first attempt dies three quarters of the way through the file (a timeout, a restart).
        await Assert.ThrowsAsync<IOException>(() => service.IngestAsync(name, etag, new BreakingStream(content, content.Length * 3 / 4), CancellationToken.None));
        var receipts = host.Services.GetRequiredService<ReceiptStore>();
        var stopped = (await receipts.GetAsync(name, etag, CancellationToken.None)).Receipt!;
        Assert.Equal(ReceiptStatus.Processing, stopped.Status);
        Assert.InRange(stopped.Checkpoint, 20, 50);
        Assert.StartsWith("IOException", stopped.LastFailure, StringComparison.Ordinal);

        var finished = await service.IngestAsync(name, etag, new MemoryStream(content), CancellationToken.None);

        Assert.Equal(ReceiptStatus.Partial, finished.Status);
        Assert.Equal(stopped.Checkpoint, finished.ResumedFrom);
        Assert.Equal(61, finished.RecordsRead);
        Assert.Equal(1, finished.RecordsRejected);
        Assert.Equal("line 5", Assert.Single(finished.Errors).Location);
        Assert.Equal(60, finished.PapersCreated + finished.PapersUnchanged);
        // Every invocation counts toward the host's poison threshold, progress or not.
        Assert.Equal(2, finished.Attempts);
        Assert.Equal(60, (await FiguresAsync(author)).Papers);
    }

    private async Task<(int Papers, long Citations)> FiguresAsync(string author)
    {
        var profile = await fixture.Services.GetRequiredService<IProfileQueries>().GetProfileAsync(AuthorKey.FromName(author), CancellationToken.None);
        var json = JsonDocument.Parse(profile!.Json).RootElement;
        return (json.GetProperty("paperCount").GetInt32(), json.GetProperty("citationCount").GetInt64());
    }

    private static string Retracted(string paper, bool retracted) =>
        paper.TrimEnd('}') + ",\"retracted\":" + (retracted ? "true" : "false") + "}";

    /// <summary>A read-only stream over bytes that fails once a read reaches <c>breakAt</c>.</summary>
    private sealed class BreakingStream(byte[] content, int breakAt) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => content.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= breakAt)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(count, breakAt - position);
            Array.Copy(content, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var bytes = new byte[buffer.Length];
            var n = Read(bytes, 0, bytes.Length);
            bytes.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

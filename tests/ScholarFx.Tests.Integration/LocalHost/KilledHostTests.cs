using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.LocalHost;

/// <summary>
/// Issue 12, processes killed in the middle of a file: the LocalHost (a second process finds the receipt still held by
/// the dead one, waits out its lease, resumes after its last checkpoint and finishes the file), and Azurite (killed and
/// started again on its data; the retry finishes the file). Either way: one final receipt, every paper once, every
/// profile right.
/// </summary>
public sealed class KilledHostTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AHostKilledDuringALargeFile_IsFinishedByTheNextHost_WithoutDuplicates()
    {
        var tag = TestPapers.Unique("killed");
        const int papers = 400;
        const int authors = 40;
        string Author(int i) => $"Killed {tag} Author{i:D2}";
        var lines = Enumerable.Range(0, papers).Select(i => TestPapers.Paper(
            $"Interrupted paper {i} {tag}", [Author(i % authors), Author((i + 3) % authors)], new DateOnly(2018, 1, 1).AddDays(i).ToString("yyyy-MM-dd"), citations: i % 5, id: $"sfx:{tag}-{i}"));
        var name = await fixture.UploadAsync(tag + ".jsonl", TestPapers.Lines([.. lines]));
        var etag = (await fixture.Storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();
        var receipts = fixture.Services.GetRequiredService<ReceiptStore>();

        var first = Start();
        Receipt? seen;
        try
        {
            seen = await WaitAsync(async () => (await receipts.GetAsync(name, etag, CancellationToken.None)).Receipt is { Status: ReceiptStatus.Processing, Checkpoint: >= 50 } r ? r : null, first);
        }
        finally
        {
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
        }

        Assert.True(seen.Checkpoint < papers, "the first host finished before it was killed; the file is too small to test this");
        var second = Start();
        Receipt final;
        try
        {
            final = await WaitAsync(async () => (await receipts.GetAsync(name, etag, CancellationToken.None)).Receipt is { IsFinal: true } r ? r : null, second);
        }
        finally
        {
            second.Process.Kill(entireProcessTree: true);
            await second.Process.WaitForExitAsync();
        }

        Assert.Equal((ReceiptStatus.Succeeded, 2, papers), (final.Status, final.Attempts, final.RecordsRead));
        Assert.InRange(final.ResumedFrom, 50, papers - 1);
        var store = fixture.Services.GetRequiredService<IPaperStore>();
        for (var i = 0; i < papers; i += 37)
        {
            Assert.NotNull(await store.GetPaperAsync($"sfx:{tag}-{i}", CancellationToken.None));
        }

        var profiles = fixture.Services.GetRequiredService<IProfileQueries>();
        for (var a = 0; a < authors; a++)
        {
            var theirs = Enumerable.Range(0, papers).Where(i => i % authors == a || (i + 3) % authors == a).ToList();
            var profile = JsonDocument.Parse((await profiles.GetProfileAsync(AuthorKey.FromName(Author(a)), CancellationToken.None))!.Json).RootElement;
            Assert.Equal((theirs.Count, theirs.Sum(i => i % 5)), (profile.GetProperty("paperCount").GetInt32(), profile.GetProperty("citationCount").GetInt32()));
        }
    }

    [Fact]
    public async Task AzuriteKilledAndRestartedDuringAnIngest_TheRetryFinishesTheFile_WithoutDuplicates()
    {
        // Azurite with its data on disk, on ports of its own, so it can come back where it was. Killed mid-file, it
        // loses what it had not saved yet (it saves every few seconds): the retry must cope with any such cut.
        var data = Path.Combine(Path.GetTempPath(), "scholarfx-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var ports = ScholarFx.LocalHost.AzuriteProcess.FreePorts(3);
        var azurite = await ScholarFx.LocalHost.AzuriteProcess.StartAsync(fixture.RepositoryRoot, data, ports[0], ports[1], ports[2]);
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Ingest:BatchSize"] = "10",
            ["Ingest:CheckpointEvery"] = "50",
        };
        var tag = TestPapers.Unique("restart");
        const int papers = 300;
        string Author(int i) => $"Restart {tag} Author{i:D2}";
        var content = TestPapers.Lines([.. Enumerable.Range(0, papers).Select(i => TestPapers.Paper(
            $"Restarted paper {i} {tag}", [Author(i % 30)], new DateOnly(2017, 1, 1).AddDays(i).ToString("yyyy-MM-dd"), citations: 1, id: $"sfx:{tag}-{i}"))]);
        try
        {
            string name;
            using (var host = fixture.BuildHost(settings))
            {
                var storage = host.Services.GetRequiredService<ScholarFxStorage>();
                await storage.EnsureCreatedAsync(CancellationToken.None);
                name = tag + ".jsonl";
                await storage.Abstracts.GetBlobClient(name).UploadAsync(BinaryData.FromString(content));
                // Azurite saves its data every few seconds: the file must be on disk before it is killed.
                await Task.Delay(TimeSpan.FromSeconds(6));
                var etag = (await storage.Abstracts.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();
                var receipts = host.Services.GetRequiredService<ReceiptStore>();
                var ingest = Task.Run(() => host.Services.GetRequiredService<ScholarFx.Core.Ingest.IIngestService>().IngestAsync(name, CancellationToken.None));
                while ((await receipts.GetAsync(name, etag, CancellationToken.None)).Receipt is not { Checkpoint: >= 50 } && !ingest.IsCompleted)
                {
                    await Task.Delay(20);
                }

                Assert.False(ingest.IsCompleted, "the file was ingested before Azurite could be killed");
                await azurite.DisposeAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => ingest);
            }

            azurite = await ScholarFx.LocalHost.AzuriteProcess.StartAsync(fixture.RepositoryRoot, data, ports[0], ports[1], ports[2]);
            using (var host = fixture.BuildHost(settings))
            {
                // The host's retry, in a host started again.
                var final = await host.Services.GetRequiredService<ScholarFx.Core.Ingest.IIngestService>().IngestAsync(name, CancellationToken.None);

                Assert.Equal((ReceiptStatus.Succeeded, papers), (final.Status, final.RecordsRead));
                Assert.Equal(papers, final.PapersCreated + final.PapersUpdated + final.PapersUnchanged + final.PapersMerged);
                var profiles = host.Services.GetRequiredService<IProfileQueries>();
                for (var a = 0; a < 30; a++)
                {
                    var profile = JsonDocument.Parse((await profiles.GetProfileAsync(AuthorKey.FromName(Author(a)), CancellationToken.None))!.Json).RootElement;
                    Assert.Equal((papers / 30, papers / 30), (profile.GetProperty("paperCount").GetInt32(), profile.GetProperty("citationCount").GetInt32()));
                }
            }
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The LocalHost as its own process (the built ScholarFx.LocalHost.dll), on this class's Azurite.</summary>
    private (Process Process, StringBuilder Output) Start()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ScholarFx.LocalHost.dll")])
        {
            WorkingDirectory = fixture.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["urls"] = "http://127.0.0.1:0";
        start.Environment["LocalHost__BlobPollInterval"] = "00:00:00.200";
        start.Environment["Ingest__BatchSize"] = "10";
        start.Environment["Ingest__CheckpointEvery"] = "50";
        start.Environment["Ingest__LeaseSeconds"] = "3";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, (Process Process, StringBuilder Output) host)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (host.Process.HasExited)
            {
                throw new InvalidOperationException($"The LocalHost exited ({host.Process.ExitCode}):\n{host.Output}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Gave up waiting; the LocalHost said:\n{host.Output}");
    }
}

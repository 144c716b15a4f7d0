using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;

namespace ScholarFx.Bench;

/// <summary>
/// The round that ends a burst, measured again and again on one stored state: a copy of an Azurite folder kept by
/// <c>settle ... keep-data</c> from a run stopped during its last round (before the authors were rendered) is opened,
/// and one settling runs on it — the same round the burst would have ended with, after the papers the stopped round
/// had written are read back. The host's triggers are not started, so nothing else settles beside it. Reports the
/// round's phases (the service's own log line), its time, the peak working set and Azurite's CPU; the folder given is
/// never changed, so a change to the code can be measured on the same state as many times as needed.
/// </summary>
internal static class SettleResumeBench
{
    public static async Task RunAsync(string keptFolder, bool count)
    {
        if (!File.Exists(Path.Combine(keptFolder, "__azurite_db_table__.json")))
        {
            throw new ArgumentException($"{keptFolder} holds no Azurite table database (keep one with: settle ... keep-data)");
        }

        var root = LocalFunctionHost.FindRepositoryRoot(AppContext.BaseDirectory);
        var data = Path.Combine(Path.GetTempPath(), "scholarfx-settle-resume-" + Guid.NewGuid().ToString("N")[..8]);
        Copy(keptFolder, data);
        var counter = count ? new RequestCounter() : null;
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(root, data);
            var app = SettleBench.BuildHost(root, azurite, counter);
            Console.WriteLine($"a copy of {keptFolder} in {data}, Azurite up (CPU {azurite.CpuTime.TotalSeconds:F0} s loading it)");
            var settle = app.Services.GetRequiredService<SettleService>();
            var azuriteBefore = azurite.CpuTime;
            var watch = Stopwatch.StartNew();
            SettleResult result;
            // The stopped run's lease runs out on its own (Azurite keeps lease times across a restart).
            while (!(result = await settle.SettleAsync(everything: false, CancellationToken.None)).Ran)
            {
                await Task.Delay(5_000);
            }

            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"one settling: {result.PapersWritten:N0} papers written, {result.ProfilesRebuilt:N0} profiles rendered, {result.Failures.Count} failures, {result.HeldBack:N0} held back, in {result.Elapsed.TotalSeconds:F1} s ({watch.Elapsed.TotalSeconds:F1} s with the wait for the lease)");
            Console.WriteLine($"peak working set {self.PeakWorkingSet64 >> 20} MiB; Azurite CPU {(azurite.CpuTime - azuriteBefore).TotalSeconds:F0} s during it");
            if (counter is not null)
            {
                Console.WriteLine(counter.Table(Math.Max(1, result.PapersWritten)));
            }

            await app.DisposeAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}

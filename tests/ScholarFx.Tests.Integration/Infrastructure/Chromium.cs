using System.Diagnostics;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// Debian's Chromium for the browser tests (Playwright's own browser download cannot work without internet): used
/// from <see cref="Path"/>, installed through apt the first time it is missing (the test set-up, not a step by hand).
/// </summary>
public static class Chromium
{
    /// <summary>Where Debian's package puts it.</summary>
    public const string Path = "/usr/bin/chromium";

    /// <summary>
    /// Flags for a headless run on a machine without a network: no sandbox (CI runs as root), no GPU, and none of
    /// Chromium's background connections, which the closed network refuses.
    /// </summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Installs Chromium when it is missing; throws with apt's output when that fails.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(Path))
            {
                return;
            }

            var sudo = Environment.UserName == "root" ? "" : "sudo ";
            await RunAsync("bash", "-c", $"{sudo}apt-get update -q && DEBIAN_FRONTEND=noninteractive {sudo}apt-get install -y -q --no-install-recommends chromium");
            if (!File.Exists(Path))
            {
                throw new InvalidOperationException($"apt installed chromium but {Path} is missing.");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Installing Chromium failed ({file} exited {process.ExitCode}): {await output}\n{await error}");
        }
    }
}

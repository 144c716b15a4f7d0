using System.Diagnostics;

namespace ScholarFx.Tests.Infra.Infrastructure;

/// <summary>What one Bicep CLI command printed.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Warnings and errors: bicep prints its diagnostics on standard error.</summary>
    public string Diagnostics => StandardError.Trim();
}

/// <summary>Runs the Bicep CLI restored from NuGet (no download, no network).</summary>
public static class BicepCli
{
    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var executable = Repository.BicepPath;
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException("The Bicep CLI is not where its package says; restore the infra test project.", executable);
        }

        EnsureExecutable(executable);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} took more than two minutes");
        }

        return new BicepResult(process.ExitCode, await output, await error);
    }

    // NuGet extracts files without their mode on some systems; the CLI must be executable to run.
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ScholarFx.LocalHost;

/// <summary>
/// An Azurite (local Azure Storage emulator) process started from the repository's <c>node_modules</c>
/// (the version pinned in package-lock.json), stopped when disposed.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly bool stopGracefully;

    private AzuriteProcess(Process process, bool stopGracefully, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        this.stopGracefully = stopGracefully;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>Connection string for this instance (Azurite's well-known development account).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>CPU time the Azurite process has used so far (benchmarks subtract it when it shares the cores).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts Azurite. <paramref name="location"/> null keeps data in memory; ports 0 pick free ones.
    /// Throws with Azurite's own output when it does not come up. <paramref name="nodeArguments"/> go to node before
    /// Azurite's script (a benchmark's <c>--cpu-prof</c>, which node refuses from <c>NODE_OPTIONS</c>).
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, string? location, int blobPort = 0, int queuePort = 0, int tablePort = 0, CancellationToken cancellationToken = default, IReadOnlyList<string>? nodeArguments = null)
    {
        var pickPorts = blobPort == 0 && queuePort == 0 && tablePort == 0;
        for (var attempt = 1; ; attempt++)
        {
            var ports = pickPorts ? FreePorts(3) : [blobPort, queuePort, tablePort];
            try
            {
                return await StartOnAsync(repositoryRoot, location, ports[0], ports[1], ports[2], nodeArguments ?? [], cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (pickPorts && attempt < 3)
            {
                // Another process took a port between picking and binding; pick again.
            }
        }
    }

    private static async Task<AzuriteProcess> StartOnAsync(string repositoryRoot, string? location, int blobPort, int queuePort, int tablePort, IReadOnlyList<string> nodeArguments, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed: {script} is missing. Run `npm ci` in {repositoryRoot} first.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var arg in nodeArguments.Concat(
        [
            script, "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]))
        {
            start.ArgumentList.Add(arg);
        }

        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, location is not null || nodeArguments.Count > 0, blobPort, queuePort, tablePort);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            if (IsListening(blobPort) && IsListening(queuePort) && IsListening(tablePort))
            {
                return azurite;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await azurite.DisposeAsync().ConfigureAwait(false);
        string log;
        lock (output)
        {
            log = output.ToString();
        }

        throw new InvalidOperationException($"Azurite did not start on ports {blobPort}/{queuePort}/{tablePort}: {log}");
    }

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A TCP port free at the time of the call.</summary>
    public static int FreePort() => FreePorts(1)[0];

    /// <summary>Distinct TCP ports free at the time of the call (held together while picked, so never the same twice).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>
    /// Stops Azurite. One that keeps its data on disk, or runs with node arguments, is asked to stop first (SIGTERM, as Ctrl+C would), so it closes
    /// its databases and node writes what <c>NODE_OPTIONS</c> asked for on exit (a <c>--cpu-prof</c> profile, as the
    /// settle bench's diagnosis uses); it is killed when it has not stopped within 10 s. One in memory is killed at
    /// once: nothing of it outlives the process, and the tests start and stop many.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (stopGracefully && !OperatingSystem.IsWindows() && !process.HasExited && Signal(process.Id, SigTerm) == 0)
            {
                try
                {
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Did not stop in time: killed below.
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // Left to the OS; nothing more to do here.
        }

        process.Dispose();
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}

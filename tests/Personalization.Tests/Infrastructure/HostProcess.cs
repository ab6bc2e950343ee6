using System.Diagnostics;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// A prebuilt gateway or silo run as a real child process on free ports, so that tests can stop it gracefully or
/// kill it with SIGKILL. Whatever a test starts is killed on dispose.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, Uri? baseAddress)
    {
        BaseAddress = baseAddress;
        var binaries = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = binaries,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(binaries, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) =>
        {
            // The host logs this once every hosted service, the silo or Orleans client included, has started.
            if (line.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                _started.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.Exited += (_, _) => _started.TrySetException(new InvalidOperationException($"{assembly} exited with code {_process.ExitCode} before it started."));
    }

    /// <summary>The HTTP address of a gateway; null for a silo.</summary>
    public Uri? BaseAddress { get; }

    /// <summary>The silo-to-silo port of a silo; null for a gateway.</summary>
    public int? SiloPort { get; private init; }

    /// <summary>The port Orleans clients connect to on a silo; null for a gateway.</summary>
    public int? GatewayPort { get; private init; }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A standalone gateway (co-hosted silo, SQLite under <paramref name="dataPath"/>), open API.</summary>
    public static Task<HostProcess> StandaloneGatewayAsync(string dataPath)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        return StartAsync(new HostProcess("Gateway.dll", ["--urls", address.ToString(), "--Standalone:DataPath", dataPath], new Dictionary<string, string>(), address));
    }

    /// <summary>A cluster-mode gateway (Orleans client) on the PostgreSQL cluster of <paramref name="connectionString"/>.</summary>
    public static Task<HostProcess> ClusterGatewayAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var environment = ClusterEnvironment(connectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return StartAsync(new HostProcess("Gateway.dll", ["--urls", address.ToString()], environment, address));
    }

    /// <summary>A silo of the PostgreSQL cluster of <paramref name="connectionString"/>, on free ports.</summary>
    public static Task<HostProcess> SiloAsync(string connectionString)
    {
        var (siloPort, gatewayPort) = (FreePort.Pick(), FreePort.Pick());
        var environment = new Dictionary<string, string>(ClusterEnvironment(connectionString))
        {
            ["Orleans__Endpoints__SiloPort"] = siloPort.ToString(),
            ["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString(),
            ["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1",
        };
        return StartAsync(new HostProcess("Silo.dll", [], environment, null) { SiloPort = siloPort, GatewayPort = gatewayPort });
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container runtime or systemd stops a service, then waits for the exit.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static async Task<HostProcess> StartAsync(HostProcess host)
    {
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        try
        {
            await host._started.Task.WaitAsync(_startTimeout);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Cluster mode on PostgreSQL, with failure detection tolerant of a busy 2-core machine.</summary>
    private static Dictionary<string, string> ClusterEnvironment(string connectionString)
    {
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "AdoNet",
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Orleans__Membership__ProbeTimeout"] = "00:00:05",
            ["Orleans__Membership__NumMissedProbesLimit"] = "4",
        };
        foreach (var (key, value) in TestSettings.Gateway)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }
}

using System.Diagnostics;

namespace Personalization.Bench.Hosting;

/// <summary>
/// A prebuilt gateway or silo run as a real child process, for the bench and the tests alike, so that it can be
/// measured, stopped gracefully or killed with SIGKILL. It counts as started when the host has started every hosted
/// service (the silo or Orleans client and Kestrel included), which .NET logs once as "Application started". The process
/// tree is killed on dispose.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, Uri? baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The HTTP address of a gateway; null for a silo.</summary>
    public Uri? BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts <paramref name="assembly"/> (a path, or a file name beside this program) with <paramref name="arguments"/>
    /// and returns once it has started. The child gets only the <c>Auth__*</c> settings given here: a key set in the
    /// caller's shell must not lock the bench or a test out of its own host.
    /// </summary>
    public static async Task<HostProcess> StartAsync(
        string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, Uri? baseAddress = null,
        Action<string>? errorLine = null)
    {
        var path = Path.IsPathRooted(assembly) ? assembly : Path.Combine(AppContext.BaseDirectory, assembly);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        // The start signal below is this category's line, whatever log level the caller chose for the rest.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var host = new HostProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, baseAddress);
        host._process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                host._started.TrySetResult();
            }
        };
        host._process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                errorLine?.Invoke(text);
            }
        };
        host._process.Exited += (_, _) =>
        {
            // Exited can come before the last lines of output: wait for them, so that errorLine has seen why it exited.
            host._process.WaitForExit();
            host._started.TrySetException(new InvalidOperationException($"{assembly} exited with code {host._process.ExitCode} before it started."));
        };

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

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container runtime or systemd stops a service, then waits for the exit.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -TERM {_process.Id} exited with code {kill.ExitCode}.");
            }
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
}

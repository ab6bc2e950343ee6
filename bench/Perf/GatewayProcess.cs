using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Personalization.Silo.Hosting;

namespace Personalization.Bench.Perf;

/// <summary>
/// A standalone gateway of the prebuilt binary, run as a child process on free ports (HTTP, silo, Orleans gateway) with
/// a temporary data folder; killed and cleaned up on dispose.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataPath;

    private GatewayProcess(Process process, string dataPath, Uri url)
    {
        _process = process;
        _dataPath = dataPath;
        Url = url;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the gateway has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Resident memory after a full blocking GC of the process, induced through EventPipe (the GCHeapCollect keyword, as
    /// dotnet-gcdump does it), so that the garbage of loading and serializing does not count as held data.
    /// </summary>
    public async Task<long> ResidentAfterGcAsync()
    {
        const long gcHeapCollect = 0x800000;
        var session = new DiagnosticsClient(_process.Id).StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, gcHeapCollect), requestRundown: false);
        using (session)
        {
            // Drained so that the runtime never waits on a full buffer; the collection runs as the session starts.
            var drain = session.EventStream.CopyToAsync(Stream.Null);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await session.StopAsync(CancellationToken.None);
            await drain;
        }

        return ResidentBytes;
    }

    /// <summary>Resident memory of the process now (VmRSS).</summary>
    private long ResidentBytes => File.ReadLines($"/proc/{_process.Id}/status")
        .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
        .Single();

    /// <summary>Starts <paramref name="assembly"/> (Gateway.dll) and returns once it answers /health/ready.</summary>
    public static async Task<GatewayProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> settings)
    {
        var dataPath = Directory.CreateTempSubdirectory("personalization-perf-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            assembly, "--urls", url.ToString(), "--Standalone:DataPath", dataPath,
            "--Orleans:Endpoints:SiloPort", FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Orleans:Endpoints:GatewayPort", FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
        ];
        foreach (var argument in arguments.Concat(settings.SelectMany(s => new[] { $"--{s.Key}", s.Value })))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the gateway");
        // Drain the output so that the child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                Console.Error.WriteLine($"gateway: {text}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, dataPath, url);
        try
        {
            await gateway.WaitReadyAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dataPath, recursive: true);
    }

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the gateway did not become ready within 90 s");
    }
}

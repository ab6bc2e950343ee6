using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Diagnostics.NETCore.Client;
using Personalization.Bench.Load;
using Personalization.Bench.Hosting;
using Personalization.Silo.Hosting;

namespace Personalization.Bench.Perf;

/// <summary>
/// A standalone gateway of the prebuilt binary, run as a child process on free ports (HTTP, silo, Orleans gateway) with
/// a temporary data folder and a generated API key of the ingest role, as an app's backend holds one (so the shipped
/// rate limit of that role applies to every request the bench sends with it), and one of the admin role for its
/// <c>/metrics</c>; killed and cleaned up on dispose.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly HostProcess _host;
    private readonly string _dataPath;

    private GatewayProcess(HostProcess host, string dataPath, string apiKey, string adminKey)
    {
        _host = host;
        _dataPath = dataPath;
        ApiKey = apiKey;
        AdminKey = adminKey;
    }

    public Uri Url => _host.BaseAddress!;

    /// <summary>The gateway's only API key (<c>X-Api-Key</c>), role ingest.</summary>
    public string ApiKey { get; }

    /// <summary>The gateway's operator key (role admin, unlimited by default): for <c>/metrics</c> and the empty request.</summary>
    public string AdminKey { get; }

    public int ProcessId => _host.ProcessId;

    /// <summary>CPU time the gateway has used so far.</summary>
    public TimeSpan CpuTime => _host.CpuTime;

    /// <summary>
    /// Resident memory after a full blocking GC of the process, induced through EventPipe (the GCHeapCollect keyword, as
    /// dotnet-gcdump does it), so that the garbage of loading and serializing does not count as held data.
    /// </summary>
    public async Task<long> ResidentAfterGcAsync()
    {
        const long gcHeapCollect = 0x800000;
        var session = new DiagnosticsClient(ProcessId).StartEventPipeSession(
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

    /// <summary>
    /// Waits until the gateway has used less than a tenth of a core over a whole second (or <paramref name="atMost"/> has
    /// passed): the work a phase leaves behind (the shards' write-behind of learned state after the last event, page
    /// writes after an import) is then not charged to the next phase. Returns how long it waited.
    /// </summary>
    public async Task<TimeSpan> WaitUntilQuietAsync(TimeSpan atMost)
    {
        var waited = Stopwatch.StartNew();
        var second = TimeSpan.FromSeconds(1);
        while (waited.Elapsed < atMost)
        {
            var before = CpuTime;
            await Task.Delay(second);
            if (CpuTime - before < second / 10)
            {
                break;
            }
        }

        return waited.Elapsed;
    }

    /// <summary>
    /// <see cref="ResidentAfterGcAsync"/>, and what the GC reports of that collection (the runtime's metrics in
    /// <c>/metrics</c>): its heap, the free space within it, and the memory it keeps committed.
    /// </summary>
    public async Task<MemoryReading> MemoryAfterGcAsync()
    {
        var resident = await ResidentAfterGcAsync();
        var metrics = await MetricsAsync();
        double Bytes(string metric) => PrometheusText.Sum(metrics, $"dotnet_gc_last_collection_{metric}_bytes");
        return new MemoryReading(
            resident, (long)Bytes("heap_size"), (long)Bytes("heap_fragmentation_size"), (long)Bytes("memory_committed_size"));
    }

    /// <summary>The time the gateway's JIT compiler has spent so far (the runtime's metrics in <c>/metrics</c>).</summary>
    public async Task<TimeSpan> JitTimeAsync() =>
        TimeSpan.FromSeconds(PrometheusText.Sum(await MetricsAsync(), "dotnet_jit_compilation_time_seconds_total"));

    /// <summary>The gateway's <c>/metrics</c> (Prometheus text), read with the admin key.</summary>
    private async Task<string> MetricsAsync()
    {
        using var client = Scenarios.Client(Url, AdminKey);
        return await client.GetStringAsync("/metrics");
    }

    /// <summary>Resident memory of the process now (VmRSS).</summary>
    private long ResidentBytes => File.ReadLines($"/proc/{ProcessId}/status")
        .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024)
        .Single();

    /// <summary>Starts <paramref name="assembly"/> (Gateway.dll) with its own data folder and returns once it has started.</summary>
    public static async Task<GatewayProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> settings)
    {
        var dataPath = Directory.CreateTempSubdirectory("personalization-perf-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        string[] arguments =
        [
            "--urls", url.ToString(), "--Standalone:DataPath", dataPath,
            "--Orleans:Endpoints:SiloPort", FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            "--Orleans:Endpoints:GatewayPort", FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
        ];
        // In the environment rather than on the command line, where every user of the machine could read it.
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        try
        {
            var host = await HostProcess.StartAsync(
                assembly, arguments.Concat(settings.SelectMany(s => new[] { $"--{s.Key}", s.Value })),
                new Dictionary<string, string> { ["Auth__ApiKeys__ingest"] = apiKey, ["Auth__ApiKeys__admin"] = adminKey }, url,
                errorLine: line => Console.Error.WriteLine($"gateway: {line}"));
            return new GatewayProcess(host, dataPath, apiKey, adminKey);
        }
        catch
        {
            Directory.Delete(dataPath, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }
}

/// <summary>
/// Memory of a gateway after a full GC: resident (VmRSS), the GC's heap after that collection (free space within it
/// included), that free space, and the memory the GC keeps committed (heap, free space and the regions it holds for
/// later). Resident beyond committed is the rest: code, native memory, stacks.
/// </summary>
public sealed record MemoryReading(long ResidentBytes, long GcHeapBytes, long GcFragmentationBytes, long GcCommittedBytes)
{
    /// <summary>Bytes of objects alive after the collection.</summary>
    public long GcLiveBytes => GcHeapBytes - GcFragmentationBytes;
}

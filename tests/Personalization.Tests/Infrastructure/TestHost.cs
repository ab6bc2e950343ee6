using Personalization.Bench.Hosting;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// A prebuilt gateway or silo of the suite, started through the bench's <see cref="HostProcess"/> (one launcher and one
/// readiness rule for the bench and the tests) on free ports. Whatever a test starts is killed on dispose.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly HostProcess _process;

    private TestHost(HostProcess process) => _process = process;

    /// <summary>The HTTP address of a gateway, or of a silo's health and metrics.</summary>
    public Uri? BaseAddress => _process.BaseAddress;

    /// <summary>The silo-to-silo port of a silo; null for a gateway.</summary>
    public int? SiloPort { get; private init; }

    /// <summary>The port Orleans clients connect to on a silo; null for a gateway.</summary>
    public int? GatewayPort { get; private init; }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// A standalone gateway (co-hosted silo, SQLite under <paramref name="dataPath"/>), open API on purpose unless
    /// <paramref name="settings"/> hold keys.
    /// </summary>
    public static async Task<TestHost> StandaloneGatewayAsync(string dataPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        string[] arguments = ["--urls", address.ToString(), "--Standalone:DataPath", dataPath, "--Auth:AllowAnonymous", "true",
            .. (settings ?? new Dictionary<string, string>()).SelectMany(s => new[] { "--" + s.Key, s.Value })];
        return new(await HostProcess.StartAsync("Gateway.dll", arguments, baseAddress: address));
    }

    /// <summary>
    /// A cluster-mode gateway (Orleans client) on the PostgreSQL cluster of <paramref name="connectionString"/>; open on
    /// purpose unless <paramref name="settings"/> hold keys.
    /// </summary>
    public static async Task<TestHost> ClusterGatewayAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var environment = ClusterEnvironment(connectionString);
        environment["Auth__AllowAnonymous"] = "true";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new(await HostProcess.StartAsync("Gateway.dll", ["--urls", address.ToString()], environment, address));
    }

    /// <summary>
    /// A silo of the PostgreSQL cluster of <paramref name="connectionString"/>, on free ports (HTTP included), with the tests' cluster
    /// certificate unless <paramref name="tls"/> holds other <c>Orleans:Tls</c> settings; its standard error goes to
    /// <paramref name="errorLine"/>.
    /// </summary>
    public static async Task<TestHost> SiloAsync(string connectionString, IReadOnlyDictionary<string, string>? tls = null, Action<string>? errorLine = null)
    {
        var (siloPort, gatewayPort) = (FreePort.Pick(), FreePort.Pick());
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var environment = ClusterEnvironment(connectionString, tls);
        environment["Orleans__Endpoints__SiloPort"] = siloPort.ToString();
        environment["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString();
        environment["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1";
        return new(await HostProcess.StartAsync("Silo.dll", ["--urls", address.ToString()], environment, address, errorLine)) { SiloPort = siloPort, GatewayPort = gatewayPort };
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM, as a container runtime or systemd stops a service, then waits for the exit.</summary>
    public Task StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>
    /// Cluster mode on PostgreSQL with the tests' cluster certificates (mutual TLS), and failure detection tolerant of a
    /// busy 2-core machine.
    /// </summary>
    private static Dictionary<string, string> ClusterEnvironment(string connectionString, IReadOnlyDictionary<string, string>? tls = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "AdoNet",
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Orleans__Membership__ProbeTimeout"] = "00:00:05",
            ["Orleans__Membership__NumMissedProbesLimit"] = "4",
        };
        foreach (var (key, value) in TestSettings.Gateway.Concat(tls ?? TestCertificates.ClusterSettings))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }
}

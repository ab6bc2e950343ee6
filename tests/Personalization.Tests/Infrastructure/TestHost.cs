using Personalization.Bench.Hosting;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// A prebuilt gateway, node, silo or load balancer of the suite, started through the bench's <see cref="HostProcess"/> (one launcher and one
/// readiness rule for the bench and the tests) on free ports. Whatever a test starts is killed on dispose.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly HostProcess _process;

    private TestHost(HostProcess process) => _process = process;

    /// <summary>The HTTP address of a gateway, node or load balancer, or of a silo's health and metrics.</summary>
    public Uri? BaseAddress => _process.BaseAddress;

    /// <summary>The silo-to-silo port of a node or silo; null for a client-only gateway or a load balancer.</summary>
    public int? SiloPort { get; private init; }

    /// <summary>The port Orleans clients connect to on a node or silo; null for a client-only gateway or a load balancer.</summary>
    public int? GatewayPort { get; private init; }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// A standalone gateway (co-hosted silo, SQLite under <paramref name="dataPath"/>), open API on purpose; without a
    /// <c>Privacy:MasterKey</c> in <paramref name="settings"/> it generates one beside the data.
    /// </summary>
    public static async Task<TestHost> StandaloneGatewayAsync(string dataPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        string[] arguments = ["--urls", address.ToString(), "--Standalone:DataPath", dataPath, "--Auth:AllowAnonymous", "true",
            .. (settings ?? new Dictionary<string, string>()).SelectMany(setting => new[] { $"--{setting.Key}", setting.Value })];
        return new(await HostProcess.StartAsync("Gateway.dll", arguments, baseAddress: address));
    }

    /// <summary>
    /// A client-only cluster gateway (an Orleans client, <c>Cluster:CoHostSilo=false</c>) on the PostgreSQL cluster of
    /// <paramref name="connectionString"/>; open on purpose unless <paramref name="settings"/> hold keys.
    /// </summary>
    public static async Task<TestHost> ClusterGatewayAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var environment = ClusterEnvironment(connectionString);
        environment["Auth__AllowAnonymous"] = "true";
        environment["Cluster__CoHostSilo"] = "false";
        AddSettings(environment, settings);
        return new(await HostProcess.StartAsync("Gateway.dll", ["--urls", address.ToString()], environment, address));
    }

    /// <summary>
    /// A node of the PostgreSQL cluster of <paramref name="connectionString"/>: a gateway serving the API with a silo in
    /// the same process (the cluster's default shape), on free ports; open on purpose unless <paramref name="settings"/>
    /// hold keys.
    /// </summary>
    public static Task<TestHost> NodeAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var node = new Dictionary<string, string> { ["Auth:AllowAnonymous"] = "true" };
        AddSettings(node, settings);
        return SiloProcessAsync("Gateway.dll", connectionString, node);
    }

    /// <summary>
    /// A silo without the API (Silo.dll) of the PostgreSQL cluster of <paramref name="connectionString"/>, on free ports
    /// (HTTP included); <paramref name="settings"/> override the test settings (the cluster certificate among them); its
    /// standard error goes to <paramref name="errorLine"/>.
    /// </summary>
    public static Task<TestHost> SiloAsync(
        string connectionString, IReadOnlyDictionary<string, string>? settings = null, Action<string>? errorLine = null) =>
        SiloProcessAsync("Silo.dll", connectionString, settings, errorLine);

    /// <summary>The load balancer (LoadBalancer.dll) in front of <paramref name="nodes"/>, on a free port, with <paramref name="settings"/>.</summary>
    public static async Task<TestHost> LoadBalancerAsync(IEnumerable<TestHost> nodes, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var environment = new Dictionary<string, string> { ["LoadBalancer__Nodes"] = string.Join(",", nodes.Select(n => n.BaseAddress)) };
        AddSettings(environment, settings);
        return new(await HostProcess.StartAsync("LoadBalancer.dll", ["--urls", address.ToString()], environment, address));
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM, as a container runtime or systemd stops a service, then waits for the exit.</summary>
    public Task StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<TestHost> SiloProcessAsync(
        string assembly, string connectionString, IReadOnlyDictionary<string, string>? settings, Action<string>? errorLine = null)
    {
        var (siloPort, gatewayPort) = (FreePort.Pick(), FreePort.Pick());
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var environment = ClusterEnvironment(connectionString);
        AddSettings(environment, settings);
        environment["Orleans__Endpoints__SiloPort"] = siloPort.ToString();
        environment["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString();
        environment["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1";
        return new(await HostProcess.StartAsync(assembly, ["--urls", address.ToString()], environment, address, errorLine))
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };
    }

    /// <summary>
    /// Cluster mode on PostgreSQL with the tests' cluster certificates (mutual TLS); failure detection as shipped.
    /// </summary>
    private static Dictionary<string, string> ClusterEnvironment(string connectionString)
    {
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "AdoNet",
            ["ConnectionStrings__Postgres"] = connectionString,
        };
        AddSettings(environment, TestSettings.Gateway);
        AddSettings(environment, TestCertificates.ClusterSettings);
        return environment;
    }

    /// <summary>Adds configuration settings (Section:Key) as environment variables (Section__Key).</summary>
    private static void AddSettings(Dictionary<string, string> environment, IReadOnlyDictionary<string, string>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }
}

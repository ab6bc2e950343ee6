using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Personalization.Silo.Storage;
using Personalization.Silo.Transport;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// An Orleans client of a test cluster of silo processes, beside the gateway under test: it sees where grains live and
/// can call them through a chosen silo.
/// </summary>
public sealed class ClusterObserver : IDisposable
{
    private readonly IHost _host;

    private ClusterObserver(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>A client that finds the silos in the membership table of <paramref name="connectionString"/>, as the gateway does.</summary>
    public static Task<ClusterObserver> ThroughMembershipAsync(string connectionString) => StartAsync(client =>
        client.UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = (PostgresStore.Invariant, connectionString)));

    /// <summary>
    /// A client whose only gateway is the silo listening for clients on <paramref name="gatewayPort"/>, with the tests'
    /// cluster certificate or the <c>Orleans:Tls</c> settings in <paramref name="tls"/>.
    /// </summary>
    public static Task<ClusterObserver> ThroughGatewayAsync(
        int gatewayPort, IReadOnlyDictionary<string, string>? tls = null, CancellationToken cancellation = default) => StartAsync(client =>
        client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort)), tls, cancellation);

    /// <summary>Every activated user grain and the silo port it lives on, asked of the cluster's management grain.</summary>
    public async Task<List<(string UserId, int Port)>> UserPlacementAsync()
    {
        var statistics = await Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics
            .Where(s => s.GrainId.Type.ToString() == "user")
            .Select(s => (s.GrainId.Key.ToString()!, s.SiloAddress.Endpoint.Port))];
    }

    public void Dispose() => _host.Dispose();

    private static async Task<ClusterObserver> StartAsync(
        Action<IClientBuilder> clustering, IReadOnlyDictionary<string, string>? tls = null, CancellationToken cancellation = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection((tls ?? TestCertificates.ClusterSettings)!);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = ("personalization", "personalization"));
            client.UseClusterTls();
            clustering(client);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ClusterObserver(host);
    }
}

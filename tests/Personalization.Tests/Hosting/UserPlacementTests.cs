using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>
/// A client sends every call for one grain through the same silo; a user's grain is activated on that silo, so that
/// the user's calls are not forwarded to another one. Two silo processes on PostgreSQL; the client knows only one.
/// </summary>
public sealed class UserPlacementTests
{
    [Fact]
    public async Task Users_first_called_through_a_silo_live_on_that_silo()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var entry = await HostProcess.SiloAsync(database);
        await using var other = await HostProcess.SiloAsync(database);
        using var client = await ClientThroughAsync(entry.GatewayPort!.Value);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        string[] users = [.. Enumerable.Range(0, 40).Select(_ => Catalog.NewId("user"))];

        await Task.WhenAll(users.Select(user => grains.GetGrain<IUserGrain>(user).GetProfileAsync()));

        var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var ports = statistics
            .Where(s => s.GrainId.Type.ToString() == "user" && users.Contains(s.GrainId.Key.ToString()))
            .Select(s => s.SiloAddress.Endpoint.Port)
            .ToList();
        Assert.Equal(users.Length, ports.Count);
        Assert.All(ports, port => Assert.Equal(entry.SiloPort, port));
    }

    /// <summary>An Orleans client whose only gateway is the silo listening for clients on <paramref name="gatewayPort"/>.</summary>
    private static async Task<IHost> ClientThroughAsync(int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = ("personalization", "personalization"))
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

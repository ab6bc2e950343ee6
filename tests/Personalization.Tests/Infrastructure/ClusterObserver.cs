using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Personalization.Silo.Storage;

namespace Personalization.Tests.Infrastructure;

/// <summary>An Orleans client of a cluster under test, to see where grains live (the gateway under test is a separate process).</summary>
public sealed class ClusterObserver : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterObserver(IHost host) => _host = host;

    public static async Task<ClusterObserver> StartAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = ("personalization", "personalization"))
            .UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = (PostgresStore.Invariant, connectionString)));
        var host = builder.Build();
        await host.StartAsync();
        return new ClusterObserver(host);
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>The activations of one grain type (<c>user</c>, <c>eventrouter</c>...): each grain and its silo's port.</summary>
    public async Task<List<(GrainId Grain, int SiloPort)>> ActivationsAsync(string grainType)
    {
        var statistics = await Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics.Where(s => s.GrainId.Type.ToString() == grainType).Select(s => (s.GrainId, s.SiloAddress.Endpoint.Port))];
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

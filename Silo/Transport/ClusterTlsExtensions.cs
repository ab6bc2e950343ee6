using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Personalization.Silo.Transport;

/// <summary>Mutual TLS on every connection of the cluster (Microsoft.Orleans.Connections.Security), as configured in "Orleans:Tls".</summary>
public static class ClusterTlsExtensions
{
    /// <summary>A silo: TLS on the connections it accepts from silos and clients, and on those it opens to silos.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo)
    {
        silo.Services.AddClusterTls().AddOptions<SiloConnectionOptions>().Configure<ClusterTls>((connections, cluster) =>
        {
            if (cluster.Tls is { } tls)
            {
                connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(tls));
                connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(tls));
                connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(tls));
            }
        });
        return silo;
    }

    /// <summary>An Orleans client (the gateway in cluster mode): TLS on its connections to the silos.</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client)
    {
        client.Services.AddClusterTls().AddOptions<ClientConnectionOptions>().Configure<ClusterTls>((connections, cluster) =>
        {
            if (cluster.Tls is { } tls)
            {
                connections.ConfigureConnection(connection => connection.UseClientTls(tls));
            }
        });
        return client;
    }

    private static IServiceCollection AddClusterTls(this IServiceCollection services)
    {
        services.AddOptions<ClusterTlsOptions>().BindConfiguration(ClusterTlsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterTlsOptions>, ClusterTlsOptionsValidator>());
        services.TryAddSingleton<ClusterTls>();
        return services;
    }
}

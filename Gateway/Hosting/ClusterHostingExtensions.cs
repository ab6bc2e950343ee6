using Orleans.Configuration;
using Orleans.Dashboard;
using Personalization.Services;
using Personalization.Silo.Hosting;
using Personalization.Silo.Storage;
using Personalization.Silo.Telemetry;
using Personalization.Silo.Transport;

namespace Personalization.Gateway.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// Connects the gateway to the cluster: in standalone mode by co-hosting the one silo in this process; in cluster
    /// mode by co-hosting a silo of the cluster too (a node, <c>Cluster:CoHostSilo</c>, the default), or else as an
    /// Orleans client that finds the silos' gateways through the membership table and reconnects by itself.
    /// </summary>
    public static WebApplicationBuilder AddPersonalizationCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection(ClusterModeOptions.SectionName).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        if (cluster.Mode == ClusterMode.Standalone || cluster.CoHostSilo)
        {
            builder.AddPersonalizationSilo();
        }
        else
        {
            var connectionString = configuration.PostgresConnectionString();
            builder.Services.AddPersonalizationModelOptions();
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(configuration.ConfigureClusterIdentity);
                var telemetry = TelemetryOptions.From(configuration);
                if (telemetry.TracesEnabled)
                {
                    client.AddActivityPropagation();
                }

                if (telemetry.DashboardEnabled)
                {
                    client.AddDashboard();
                }
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = PostgresStore.Invariant;
                    options.ConnectionString = connectionString;
                });
                client.UseClusterTls();
                // Notice new and dead silos quickly; keep trying to connect while no silo is up yet.
                client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
                client.UseConnectionRetryFilter(async (_, cancellationToken) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    return true;
                });
            });
        }

        // Polly reports into telemetry only while it is on: its timings cost a little on every grain call.
        builder.Services.AddSingleton<IGrainCallPolicy>(services => new ClusterResilience(
            TelemetryOptions.From(configuration).Enabled ? services.GetRequiredService<ILoggerFactory>() : null));
        return builder;
    }
}

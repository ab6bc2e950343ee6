using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Journal;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Silo.Journal;
using Personalization.Silo.Storage;

namespace Personalization.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Makes this host a silo of the personalization cluster, as configured: storage, clustering, ports and the model
    /// settings shared with the grains.
    /// </summary>
    public static IHostApplicationBuilder AddPersonalizationSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        builder.Services.AddPersonalizationModelOptions();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = configuration["Orleans:ClusterId"] ?? "personalization";
                options.ServiceId = configuration["Orleans:ServiceId"] ?? "personalization";
            });

            switch (cluster.Mode)
            {
                case ClusterMode.Standalone:
                    ConfigureStandalone(silo, configuration);
                    break;
                default:
                    throw new NotSupportedException($"Cluster:Mode '{cluster.Mode}' is not available yet; use Standalone.");
            }
        });
        return builder;
    }

    /// <summary>Binds the options that silos and gateways must agree on (catalog partitioning, learning).</summary>
    public static IServiceCollection AddPersonalizationModelOptions(this IServiceCollection services)
    {
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName)
            .Validate(o => o.ShardCount is >= 1 and <= 1024, "Catalog:ShardCount must be between 1 and 1024.");
        services.AddOptions<LearningSettings>().BindConfiguration(LearningSettings.SectionName)
            .Validate(o => o.Dimension is >= 2 and <= 1024, "Learning:Dimension must be between 2 and 1024.");
        return services;
    }

    private static void ConfigureStandalone(ISiloBuilder silo, IConfiguration configuration)
    {
        // Default Orleans ports collide between local hosts: take free ones unless configured.
        var siloPort = configuration.GetValue<int?>("Orleans:Endpoints:SiloPort") ?? FreePort.Pick();
        var gatewayPort = configuration.GetValue<int?>("Orleans:Endpoints:GatewayPort") ?? FreePort.Pick();
        silo.UseLocalhostClustering(siloPort, gatewayPort);

        var dataPath = configuration.GetSection(StandaloneSettings.SectionName).Get<StandaloneSettings>()?.DataPath
            ?? new StandaloneSettings().DataPath;
        silo.AddSqliteStore(dataPath);
    }

    /// <summary>
    /// The standalone store, one SQLite file under <paramref name="dataPath"/> (schema applied now): default grain
    /// storage through the Orleans ADO.NET provider, and the event journal.
    /// </summary>
    public static ISiloBuilder AddSqliteStore(this ISiloBuilder silo, string dataPath)
    {
        SqliteStore.ApplySchema(dataPath);
        return silo.AddRelationalStore(SqliteStore.Invariant, new SqliteDataSource(SqliteStore.ConnectionString(dataPath)));
    }

    /// <summary>
    /// Grain storage (Orleans binary serializer; clearing deletes the row) and the group-commit event journal, both on
    /// <paramref name="dataSource"/>.
    /// </summary>
    private static ISiloBuilder AddRelationalStore(this ISiloBuilder silo, string invariant, DbDataSource dataSource)
    {
        silo.Services.AddSingleton<IEventJournal>(services => ActivatorUtilities.CreateInstance<GroupCommitJournal>(services, dataSource));
        return silo.AddAdoNetGrainStorageAsDefault(options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = invariant;
            storage.DataSource = dataSource;
            storage.DeleteStateOnClear = true;
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
    }
}

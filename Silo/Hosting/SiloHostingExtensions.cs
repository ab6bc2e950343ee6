using System.Data.Common;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Catalog;
using Personalization.Grains.Journal;
using Personalization.Grains.Persistence;
using Personalization.Grains.Telemetry;
using Personalization.Grains.Users;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Silo.Health;
using Personalization.Silo.Journal;
using Personalization.Silo.Memory;
using Personalization.Silo.Privacy;
using Personalization.Silo.Storage;
using Personalization.Silo.Telemetry;
using Personalization.Silo.Transport;

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
        var cluster = configuration.GetSection(ClusterModeOptions.SectionName).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        builder.Services.AddPersonalizationModelOptions();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(configuration.ConfigureClusterIdentity);
            silo.DeactivateIdleUsers();
            var telemetry = TelemetryOptions.From(configuration);
            if (telemetry.TracesEnabled)
            {
                silo.AddActivityPropagation();
            }

            if (telemetry.DashboardEnabled)
            {
                silo.AddDashboard();
            }

            switch (cluster.Mode)
            {
                case ClusterMode.Standalone:
                    ConfigureStandalone(silo, configuration);
                    break;
                case ClusterMode.AdoNet:
                    ConfigureAdoNet(silo, configuration);
                    break;
            }
        });
        return builder;
    }

    /// <summary>Cluster and service ids (<c>Orleans:ClusterId</c>, <c>Orleans:ServiceId</c>), shared by silos and clients.</summary>
    public static void ConfigureClusterIdentity(this IConfiguration configuration, ClusterOptions options)
    {
        options.ClusterId = configuration["Orleans:ClusterId"] ?? "personalization";
        options.ServiceId = configuration["Orleans:ServiceId"] ?? "personalization";
    }

    /// <summary>
    /// Binds the options that silos and gateways must agree on (catalog partitioning, oversight, retention, learning,
    /// knowledge tracing), each checked when the host starts, and lets database exceptions travel from silos to
    /// clients, so that the gateway can tell storage failures (503, retry) apart. The grains' instruments come along.
    /// </summary>
    public static IServiceCollection AddPersonalizationModelOptions(this IServiceCollection services)
    {
        services.TryAddSingleton<SiloMetrics>();
        // A silo's shards register here; a gateway of the same process scans them in place, one of a client-only process finds none.
        services.TryAddSingleton<LocalCatalogShards>();
        services.TryAddSingleton<ILocalCatalogShards>(provider => provider.GetRequiredService<LocalCatalogShards>());
        // Likewise the silo's active users, whose queries a gateway of the same process reads in place.
        services.TryAddSingleton<LocalUsers>();
        services.TryAddSingleton<ILocalUsers>(provider => provider.GetRequiredService<LocalUsers>());
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName)
            .Validate(o => o.ShardCount is >= 1 and <= 1024, "Catalog:ShardCount must be between 1 and 1024.")
            .Validate(o => o.MaxItems >= 1, "Catalog:MaxItems must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<OversightOptions>().BindConfiguration(OversightOptions.SectionName)
            .Validate(o => o.Window > TimeSpan.Zero && o.Partitions is >= 1 and <= 256, "Oversight:Window must be positive and Oversight:Partitions 1 to 256.")
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(o => o.MaxAge is null || o.MaxAge > TimeSpan.Zero, "Retention:MaxAge must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LearningOptions>().BindConfiguration(LearningOptions.SectionName)
            .Validate(o => o.Dimension is >= 2 and <= 1024, "Learning:Dimension must be between 2 and 1024.")
            .ValidateOnStart();
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.SectionName)
            .Validate(o => o.ForgettingHalfLife > TimeSpan.Zero && o.MasteryThreshold is > 0 and < 1, "Knowledge:ForgettingHalfLife must be positive and Knowledge:MasteryThreshold between 0 and 1.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>The PostgreSQL connection string of cluster mode; a clear error when it is missing.</summary>
    public static string PostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres") is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException("Cluster:Mode=AdoNet needs ConnectionStrings:Postgres (environment: ConnectionStrings__Postgres).");

    private static void ConfigureAdoNet(ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration.PostgresConnectionString();

        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
            endpoints.GatewayPort = configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
            if (configuration["Orleans:Endpoints:AdvertisedIPAddress"] is { Length: > 0 } address)
            {
                endpoints.AdvertisedIPAddress = IPAddress.Parse(address);
            }
        });
        silo.ConfigureFailureDetection(configuration);
        silo.UseClusterTls();
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresStore.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddPostgresStore(connectionString);
    }

    /// <summary>
    /// The cluster store on PostgreSQL (schema applied on silo start under an advisory lock): default grain storage
    /// through the Orleans ADO.NET provider, and the event journal. <c>Privacy:MasterKey</c> is required.
    /// </summary>
    public static ISiloBuilder AddPostgresStore(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            ActivatorUtilities.CreateInstance<PostgresStore>(services, connectionString));
        return silo.AddRelationalStore<PostgresEventJournal>(PostgresStore.Invariant, NpgsqlDataSource.Create(connectionString), fallbackMasterKey: null);
    }

    private static void ConfigureStandalone(ISiloBuilder silo, IConfiguration configuration)
    {
        // Default Orleans ports collide between local hosts: take free ones unless configured.
        var siloPort = configuration.GetValue<int?>("Orleans:Endpoints:SiloPort") ?? FreePort.Pick();
        var gatewayPort = configuration.GetValue<int?>("Orleans:Endpoints:GatewayPort") ?? FreePort.Pick();
        silo.UseLocalhostClustering(siloPort, gatewayPort);

        var dataPath = configuration.GetSection(StandaloneOptions.SectionName).Get<StandaloneOptions>()?.DataPath
            ?? new StandaloneOptions().DataPath;
        silo.AddSqliteStore(dataPath);
    }

    /// <summary>
    /// The standalone store, one SQLite file under <paramref name="dataPath"/> (schema applied now): default grain
    /// storage through the Orleans ADO.NET provider, and the event journal. Without <c>Privacy:MasterKey</c>, the master
    /// key is generated and kept beside the database.
    /// </summary>
    public static ISiloBuilder AddSqliteStore(this ISiloBuilder silo, string dataPath)
    {
        SqliteStore.ApplySchema(dataPath);
        return silo.AddRelationalStore<SqliteEventJournal>(
            SqliteStore.Invariant, new SqliteDataSource(SqliteStore.ConnectionString(dataPath)), () => StandaloneMasterKey.LoadOrCreate(dataPath));
    }

    /// <summary>
    /// A store that lives in this process only (grain state and journal in memory): for the evaluation bench, which
    /// measures learning, not durability.
    /// </summary>
    public static ISiloBuilder AddEphemeralStore(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IEventJournal, MemoryEventJournal>();
        return silo.AddMemoryGrainStorageAsDefault().AddMemoryGrainStorage(SealedState.StorageName);
    }

    /// <summary>
    /// Grain storage (Orleans binary serializer; clearing deletes the row), persons' keys and the sealed storage of their
    /// states, and the group-commit event journal, all on <paramref name="dataSource"/>.
    /// </summary>
    private static ISiloBuilder AddRelationalStore<TJournal>(this ISiloBuilder silo, string invariant, DbDataSource dataSource, Func<string>? fallbackMasterKey)
        where TJournal : GroupCommitJournal
    {
        silo.AddPersonKeys(dataSource, fallbackMasterKey);
        silo.Services.AddSingleton<IEventJournal>(services => ActivatorUtilities.CreateInstance<TJournal>(services, dataSource));
        silo.Services.AddSiloHealthChecks(dataSource);
        return silo.AddAdoNetGrainStorageAsDefault(options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = invariant;
            storage.DataSource = dataSource;
            storage.DeleteStateOnClear = true;
            storage.GrainStorageSerializer = new PooledStorageSerializer(serializer);
        }));
    }
}

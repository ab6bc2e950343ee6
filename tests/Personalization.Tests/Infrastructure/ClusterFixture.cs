using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>An in-process Orleans test cluster (one silo) on a real store, shared by a test collection.</summary>
public abstract class ClusterFixture<TConfigurator> : IAsyncLifetime
    where TConfigurator : ISiloConfigurator, new()
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        foreach (var (key, value) in await ConfigurationAsync())
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<TConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Configuration handed to the silo (where its store is).</summary>
    protected abstract Task<Dictionary<string, string>> ConfigurationAsync();
}

/// <summary>The test cluster on a throwaway SQLite store (the standalone store).</summary>
public sealed class SqliteClusterFixture : ClusterFixture<SqliteClusterFixture.Configurator>
{
    private readonly TempDirectory _data = new();

    public string DataPath => _data.Path;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }

    protected override Task<Dictionary<string, string>> ConfigurationAsync() =>
        Task.FromResult(new Dictionary<string, string> { ["Standalone:DataPath"] = _data.Path });

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddPersonalizationModelOptions();
            silo.AddSqliteStore(silo.Configuration["Standalone:DataPath"]!);
        }
    }
}

/// <summary>The test cluster on a fresh database of the test run's PostgreSQL server (the cluster store).</summary>
public sealed class PostgresClusterFixture : ClusterFixture<PostgresClusterFixture.Configurator>
{
    public string ConnectionString { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> ConfigurationAsync()
    {
        ConnectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        return new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = ConnectionString, ["Privacy:MasterKey"] = TestSettings.MasterKey };
    }

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddPersonalizationModelOptions();
            silo.AddPostgresStore(silo.Configuration.PostgresConnectionString());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteClusterCollection : ICollectionFixture<SqliteClusterFixture>
{
    public const string Name = "sqlite cluster";
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres cluster";
}

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// Two silo processes on a fresh PostgreSQL database and a gateway process in cluster mode (an Orleans client that
/// finds the silos through the membership table), with one API key per role.
/// </summary>
public sealed class PostgresGatewayCluster : IGatewayHost, IAsyncLifetime
{
    private readonly List<TestHost> _silos = [];
    private TestHost _gateway = null!;

    public IStoreInspector Store { get; private set; } = null!;

    /// <summary>The two silo processes (their HTTP addresses serve health and metrics).</summary>
    public IReadOnlyList<TestHost> Silos => _silos;

    public HttpClient Client(string? apiKey = ApiKeys.Admin) => _gateway.Client().WithKey(apiKey);

    public Uri GatewayAddress => _gateway.BaseAddress!;

    public async Task InitializeAsync()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        Store = new PostgresInspector(connectionString);
        _silos.AddRange(await Task.WhenAll(TestHost.SiloAsync(connectionString), TestHost.SiloAsync(connectionString)));
        _gateway = await TestHost.ClusterGatewayAsync(connectionString, new Dictionary<string, string>(ApiKeys.Configuration));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresGatewayCollection : ICollectionFixture<PostgresGatewayCluster>
{
    public const string Name = "postgres gateway cluster";
}

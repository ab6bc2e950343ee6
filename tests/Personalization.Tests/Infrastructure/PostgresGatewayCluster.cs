namespace Personalization.Tests.Infrastructure;

/// <summary>
/// Two nodes (each a gateway with a silo in its process) on a fresh PostgreSQL database, with one API key per role.
/// Tests talk to the first node; the second holds grains and shards too, so requests cross between the nodes.
/// </summary>
public sealed class PostgresGatewayCluster : IGatewayHost, IAsyncLifetime
{
    private readonly List<TestHost> _nodes = [];

    public IStoreInspector Store { get; private set; } = null!;

    /// <summary>The two node processes (their HTTP addresses serve the API, health and metrics).</summary>
    public IReadOnlyList<TestHost> Nodes => _nodes;

    public HttpClient Client(string? apiKey = ApiKeys.Admin) => _nodes[0].Client().WithKey(apiKey);

    public Uri GatewayAddress => _nodes[0].BaseAddress!;

    public async Task InitializeAsync()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        Store = new PostgresInspector(connectionString);
        var keys = new Dictionary<string, string>(ApiKeys.Configuration);
        _nodes.AddRange(await Task.WhenAll(TestHost.NodeAsync(connectionString, keys), TestHost.NodeAsync(connectionString, keys)));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresGatewayCollection : ICollectionFixture<PostgresGatewayCluster>
{
    public const string Name = "postgres gateway cluster";
}

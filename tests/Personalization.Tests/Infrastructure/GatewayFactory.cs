using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// The real gateway in standalone mode (co-hosted silo, SQLite in a temp folder) on Kestrel at a free loopback port,
/// with one API key per role configured.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>, IGatewayHost
{
    private readonly TempDirectory _data = new();

    public GatewayFactory()
    {
        UseKestrel(0);
    }

    public IStoreInspector Store => new SqliteInspector(_data.Path);

    /// <summary>What the gateway logged at Error or above.</summary>
    public ErrorLog Errors { get; } = new();

    public HttpClient Client(string? apiKey = ApiKeys.Admin)
    {
        StartServer();
        return CreateClient().WithKey(apiKey);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Standalone:DataPath", _data.Path);
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        foreach (var (key, value) in ApiKeys.Configuration.Concat(TestSettings.Gateway).Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Settings of this gateway besides those every test gateway has.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "gateway";
}

/// <summary>A gateway of its own, so that the oversight window holds only what its test served (one partition).</summary>
public sealed class OversightGatewayFactory : GatewayFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Oversight:Partitions", "1")];
}

[CollectionDefinition(Name)]
public sealed class OversightGatewayCollection : ICollectionFixture<OversightGatewayFactory>
{
    public const string Name = "oversight gateway";
}

/// <summary>A gateway for tests that measure the process: its collection runs when no other test does.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialGatewayCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "serial gateway";
}

/// <summary>A gateway whose catalog takes at most <see cref="MaxItems"/> items over two shards (tests of the cap).</summary>
public sealed class CappedCatalogGatewayFactory : GatewayFactory
{
    public const int MaxItems = 8;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [new("Catalog:MaxItems", MaxItems.ToString()), new("Catalog:ShardCount", "2")];
}

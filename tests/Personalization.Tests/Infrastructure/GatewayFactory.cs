using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// The real gateway in standalone mode (co-hosted silo, SQLite in a temp folder) on Kestrel at a free loopback port,
/// with one API key per role configured.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>, IGatewayHost
{
    private readonly TempDirectory _data = new();

    public GatewayFactory()
    {
        UseKestrel(0);
    }

    public IStoreInspector Store => new SqliteInspector(_data.Path);

    public HttpClient Client(string? apiKey = ApiKeys.Admin)
    {
        StartServer();
        return CreateClient().WithKey(apiKey);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Standalone:DataPath", _data.Path);
        foreach (var (key, value) in ApiKeys.Configuration.Concat(TestSettings.Gateway))
        {
            builder.UseSetting(key, value);
        }
    }

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

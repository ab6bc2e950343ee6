using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// The real gateway (standalone mode: co-hosted silo, SQLite in a temp folder) on Kestrel at a free loopback port,
/// with one API key per role configured.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string ReadKey = "test-read-key";
    public const string IngestKey = "test-ingest-key";
    public const string AdminKey = "test-admin-key";

    private readonly TempDirectory _data = new();

    public GatewayFactory()
    {
        UseKestrel(0);
    }

    /// <summary>A client of the real HTTP server carrying <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient Client(string? apiKey = AdminKey)
    {
        StartServer();
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Standalone:DataPath", _data.Path);
        builder.UseSetting("Auth:ApiKeys:read", ReadKey);
        builder.UseSetting("Auth:ApiKeys:ingest", IngestKey);
        builder.UseSetting("Auth:ApiKeys:admin", AdminKey);
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

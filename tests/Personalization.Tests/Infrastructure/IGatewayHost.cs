namespace Personalization.Tests.Infrastructure;

/// <summary>A running gateway that HTTP tests talk to: standalone in-process, or in front of a PostgreSQL cluster.</summary>
public interface IGatewayHost
{
    /// <summary>A client of the real HTTP server carrying <paramref name="apiKey"/> (none when null).</summary>
    HttpClient Client(string? apiKey = ApiKeys.Admin);
}

/// <summary>The keys every test gateway is configured with, one per role.</summary>
public static class ApiKeys
{
    public const string Read = "test-read-key";
    public const string Ingest = "test-ingest-key";
    public const string Admin = "test-admin-key";

    public static IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["Auth:ApiKeys:read"] = Read,
        ["Auth:ApiKeys:ingest"] = Ingest,
        ["Auth:ApiKeys:admin"] = Admin,
    };

    public static HttpClient WithKey(this HttpClient client, string? apiKey)
    {
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// A gateway of its own for the security tests: a read key configured only as its SHA-256, two token signing keys (the
/// second an older one still accepted), a small end-user rate, one allowed browser origin, and its log lines recorded.
/// </summary>
public sealed class SecurityGatewayFactory : GatewayFactory
{
    public const string HashedReadKey = "hashed-read-key";
    public const string SigningKey = "test-user-token-signing-key-0123456789";
    public const string OlderSigningKey = "test-user-token-older-signing-key-0123456789";
    public const string AllowedOrigin = "https://app.example";

    /// <summary>End-user requests a second, and the burst (the tests stay below it except the limiter's own).</summary>
    public const int TokenRate = 1;
    public const int TokenBurst = 4;

    public ConcurrentQueue<string> LogLines { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Auth:ApiKeys:read", $"{ApiKeys.Read},sha256:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(HashedReadKey)))}"),
        new("Auth:UserTokens:SigningKey", $"{SigningKey},{OlderSigningKey}"),
        new("RateLimits:UserToken:PermitsPerSecond", TokenRate.ToString()),
        new("RateLimits:UserToken:Burst", TokenBurst.ToString()),
        new("Cors:AllowedOrigins", AllowedOrigin),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new RecordingLoggerProvider(LogLines))));
    }

    /// <summary>Keeps every formatted log line.</summary>
    private sealed class RecordingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SecurityGatewayCollection : ICollectionFixture<SecurityGatewayFactory>
{
    public const string Name = "security gateway";
}

/// <summary>End-user tokens as an app's backend mints them: an HS256 JWT with sub and exp (docs/security.md).</summary>
public static class UserTokens
{
    public static string Mint(string userId, string signingKey = SecurityGatewayFactory.SigningKey, TimeSpan? lifetime = null, string alg = "HS256")
    {
        var exp = DateTimeOffset.UtcNow.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds();
        var header = Base64Url($$"""{"alg":"{{alg}}","typ":"JWT"}""");
        var payload = Base64Url($$"""{"sub":"{{userId}}","exp":{{exp}}}""");
        var signature = alg == "none" ? string.Empty
            : Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}")))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{payload}.{signature}";
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

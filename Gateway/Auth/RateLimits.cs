using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Personalization.Gateway.Telemetry;

namespace Personalization.Gateway.Auth;

/// <summary>
/// Configuration section "RateLimits": a token bucket per API key by its role, and per user for end-user tokens; a
/// bucket refills <see cref="BucketOptions.PermitsPerSecond"/> once a second up to <see cref="BucketOptions.Burst"/>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    // An app's backend sends all its users' requests with one key: its default must not be below what one node serves,
    // while still bounding what a leaked key can send.
    [ValidateObjectMembers]
    public BucketOptions Read { get; set; } = new() { PermitsPerSecond = 10_000, Burst = 20_000 };

    [ValidateObjectMembers]
    public BucketOptions Ingest { get; set; } = new() { PermitsPerSecond = 10_000, Burst = 20_000 };

    /// <summary>Unlimited by default: an operator's key.</summary>
    [ValidateObjectMembers]
    public BucketOptions Admin { get; set; } = new();

    [ValidateObjectMembers]
    public BucketOptions UserToken { get; set; } = new() { PermitsPerSecond = 20, Burst = 40 };

    /// <summary>Imports running at once over the whole gateway (each may hold up to 512 MiB); more get a 429.</summary>
    [Range(1, 64)]
    public int ImportConcurrency { get; set; } = 2;
}

/// <summary>One bucket; <see cref="PermitsPerSecond"/> 0 is unlimited.</summary>
public sealed class BucketOptions
{
    [Range(0, 1_000_000)]
    public int PermitsPerSecond { get; set; }

    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 1;
}

public static class RateLimits
{
    public const string ImportPolicy = "import";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionOf(http, limits.Value));
            limiter.AddConcurrencyLimiter(ImportPolicy, import => import.PermitLimit = limits.Value.ImportConcurrency);
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// The caller's bucket: an API key's is named by its hashed id (the raw key is never held), a token's by its user.
    /// Anonymous requests reach only open endpoints, or are refused before this.
    /// </summary>
    private static RateLimitPartition<string> PartitionOf(HttpContext http, RateLimitOptions limits)
    {
        var (name, bucket) = http.User.Identity switch
        {
            ApiKeyIdentity key => (key.PartitionKey, key.Role switch { ApiRole.Read => limits.Read, ApiRole.Ingest => limits.Ingest, _ => limits.Admin }),
            _ when http.User.TokenUser() is { } user => ("user:" + user, limits.UserToken),
            _ => (string.Empty, new BucketOptions()),
        };
        return bucket.PermitsPerSecond == 0
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetTokenBucketLimiter(name, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = bucket.Burst,
                TokensPerPeriod = bucket.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    }

    /// <summary>
    /// 429 problem+json with <c>Retry-After</c> in whole seconds (1 when the limiter cannot tell, as for imports),
    /// counted by the limit: <c>import</c>, or the caller's bucket.
    /// </summary>
    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        http.RequestServices.GetRequiredService<GatewayMetrics>().RateLimited(LimitOf(http));
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"The rate limit of this key or token is reached; retry after {retryAfter} s (docs/security.md).",
            },
        });
    }

    private static string LimitOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == ImportPolicy
            ? ImportPolicy
            : http.User.Identity switch
            {
                ApiKeyIdentity key => key.Role.ToString().ToLowerInvariant(),
                _ => "user_token",
            };
}

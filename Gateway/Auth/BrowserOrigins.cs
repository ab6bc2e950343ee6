using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Personalization.Gateway.Auth;

/// <summary>
/// Configuration section "Cors": <c>Cors:AllowedOrigins</c>, comma-separated origins (<c>https://app.example</c>)
/// whose browser pages may call the API with an end-user token. None by default: no page of another origin may.
/// </summary>
public sealed class BrowserOriginsOptions
{
    public const string SectionName = "Cors";

    public string AllowedOrigins { get; set; } = string.Empty;

    public string[] Origins => AllowedOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class BrowserOrigins
{
    /// <summary>The default CORS policy: the configured origins, the methods and headers a token's calls need, no cookies.</summary>
    public static IServiceCollection AddBrowserOrigins(this IServiceCollection services)
    {
        services.AddOptions<BrowserOriginsOptions>().BindConfiguration(BrowserOriginsOptions.SectionName)
            .Validate(o => o.Origins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out _)), "Every origin of Cors:AllowedOrigins must be an absolute URL.")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<BrowserOriginsOptions>>((cors, origins) =>
            cors.AddDefaultPolicy(policy => policy.WithOrigins(origins.Value.Origins).WithMethods("GET", "POST")
                .WithHeaders("Authorization", "Content-Type").WithExposedHeaders("Retry-After")));
        return services;
    }
}

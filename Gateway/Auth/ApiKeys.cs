using Microsoft.Extensions.Options;

namespace Personalization.Gateway.Auth;

/// <summary>Configuration section "Auth": <c>Auth:ApiKeys:{role}</c> holds comma-separated keys.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public static class ApiKeysRegistration
{
    /// <summary>The configured keys (section "Auth", read and checked at start).</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        return services.AddSingleton<ApiKeys>();
    }
}

/// <summary>The configured keys and the role each grants. With no key at all the API is open.</summary>
public sealed class ApiKeys
{
    public const string HeaderName = "X-Api-Key";

    private readonly Dictionary<string, ApiRole> _roles = new(StringComparer.Ordinal);

    public ApiKeys(IOptions<AuthOptions> options, ILogger<ApiKeys> logger)
    {
        foreach (var (roleName, keys) in options.Value.ApiKeys)
        {
            if (!Enum.TryParse<ApiRole>(roleName, ignoreCase: true, out var role))
            {
                throw new InvalidOperationException($"Auth:ApiKeys:{roleName} is not a role; use read, ingest or admin.");
            }

            foreach (var key in keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // A key listed under several roles gets the highest.
                _roles[key] = _roles.TryGetValue(key, out var existing) && existing > role ? existing : role;
            }
        }

        if (IsOpen)
        {
            logger.LogWarning("No API key is configured (Auth:ApiKeys:read|ingest|admin): the API is open to anyone who can reach it.");
        }
    }

    public bool IsOpen => _roles.Count == 0;

    public ApiRole? RoleOf(string? key) => key is not null && _roles.TryGetValue(key, out var role) ? role : null;
}

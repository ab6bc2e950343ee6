using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Personalization.Gateway.Auth;

/// <summary>
/// Configuration section "Auth": <c>Auth:ApiKeys:{role}</c> holds comma-separated keys (plain, or <c>sha256:</c> and
/// the hex of the key's SHA-256), <c>Auth:AllowAnonymous</c> lets a gateway outside Development start without any.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool AllowAnonymous { get; set; }

    [ValidateObjectMembers]
    public UserTokenOptions UserTokens { get; set; } = new();

    public bool HasApiKeys => ApiKeys.Values.Any(keys => keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length > 0);

    /// <summary>
    /// Why this gateway must not start: no key outside Development, unless anonymous access was asked for. Null when it may.
    /// </summary>
    public static string? Refusal(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(SectionName).Get<AuthOptions>() ?? new AuthOptions();
        return options.HasApiKeys || options.AllowAnonymous || environment.IsDevelopment()
            ? null
            : $"Refusing to start: no API key is configured (Auth:ApiKeys:read|ingest|admin) in the '{environment.EnvironmentName}' environment; set keys, or Auth:AllowAnonymous=true to run an open API on purpose.";
    }
}

/// <summary>
/// End-user tokens (section "Auth:UserTokens"): HS256 JWTs that an app's backend signs with one of
/// <see cref="SigningKey"/> (comma-separated, the first for new tokens and the others still accepted while rotating).
/// </summary>
public sealed class UserTokenOptions
{
    public const int MinKeyLength = 32;

    public string SigningKey { get; set; } = string.Empty;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public string[] Keys => SigningKey.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

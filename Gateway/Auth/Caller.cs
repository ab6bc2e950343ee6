using System.Security.Claims;

namespace Personalization.Gateway.Auth;

/// <summary>Who sent a request: an API key (<see cref="ApiKeyIdentity"/>) or an end-user token (its <c>sub</c>).</summary>
public static class Caller
{
    public const string SubjectClaim = "sub";

    /// <summary>The user an end-user token speaks for; null for an API key or an anonymous request.</summary>
    public static string? TokenUser(this ClaimsPrincipal principal) =>
        principal.Identity is { IsAuthenticated: true } and not ApiKeyIdentity ? principal.FindFirstValue(SubjectClaim) : null;

    /// <summary>A description fit for logs: the role and key id, or the token's user; never a secret.</summary>
    public static string Describe(this ClaimsPrincipal principal) => principal.Identity switch
    {
        ApiKeyIdentity key => $"{key.Role.ToString().ToLowerInvariant()} key {key.KeyId}",
        _ when principal.TokenUser() is { } user => $"user token of {user}",
        _ => "anonymous",
    };
}

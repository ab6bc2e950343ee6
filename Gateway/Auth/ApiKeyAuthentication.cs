using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Personalization.Gateway.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against <see cref="ApiKeys"/>, or a key sent in <c>Authorization</c> (bearer
/// value, or basic password: <see cref="ApiKeys.FindInAuthorization"/>). No key: no
/// result (the request is then anonymous, and a protected endpoint answers 401); an unknown key, or several headers:
/// failure, never a role.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private static readonly Task<AuthenticateResult> _noKey = Task.FromResult(AuthenticateResult.NoResult());
    private static readonly Task<AuthenticateResult> _unknown = Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
    private static readonly Task<AuthenticateResult> _several = Task.FromResult(AuthenticateResult.Fail($"Several {ApiKeys.HeaderName} headers."));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.Anonymous is { } anonymous)
        {
            return Task.FromResult(AuthenticateResult.Success(anonymous));
        }

        var presented = Request.Headers[ApiKeys.HeaderName];
        return presented.Count switch
        {
            0 => keys.FindInAuthorization(Request) is { } bearer ? Task.FromResult(AuthenticateResult.Success(bearer)) : _noKey,
            > 1 => _several,
            _ => keys.Find(presented[0]!) is { } ticket ? Task.FromResult(AuthenticateResult.Success(ticket)) : _unknown,
        };
    }
}

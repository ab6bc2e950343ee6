using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Personalization.Gateway.Validation;

namespace Personalization.Gateway.Auth;

public static class AuthRegistration
{
    /// <summary>Picks the API key scheme or the end-user token scheme by the headers a request carries.</summary>
    public const string SchemeName = "Gateway";

    /// <summary>
    /// API keys (section "Auth", checked at start), end-user tokens, the role policies and the problem answers of a
    /// refusal. A request with <c>X-Api-Key</c> is judged by its key alone, and so is a configured key sent as a bearer value
    /// or a basic password; otherwise a bearer token is read as a user token.
    /// </summary>
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.UserTokens.Keys.All(k => k.Length >= UserTokenOptions.MinKeyLength),
                $"Every key of Auth:UserTokens:SigningKey must be at least {UserTokenOptions.MinKeyLength} characters.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<IAuthorizationHandler, ApiRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        services.AddAuthorizationBuilder().AddRolePolicies();
        services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, null, scheme => scheme.ForwardDefaultSelector = http =>
                !http.Request.Headers.ContainsKey(ApiKeys.HeaderName) && http.Request.Headers.Authorization.Count > 0
                    && http.RequestServices.GetRequiredService<ApiKeys>().FindInAuthorization(http.Request) is null
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>(UseUserTokens);
        return services;
    }

    /// <summary>HS256 only, signed by a configured key, with <c>exp</c> and a valid user id as <c>sub</c>; no issuer or audience.</summary>
    private static void UseUserTokens(JwtBearerOptions bearer, IOptions<AuthOptions> auth)
    {
        var tokens = auth.Value.UserTokens;
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKeys = [.. tokens.Keys.Select(k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k)))],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = tokens.ClockSkew,
            ValidateIssuer = false,
            ValidateAudience = false,
            NameClaimType = Caller.SubjectClaim,
        };
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.Principal?.FindFirst(Caller.SubjectClaim)?.Value is not { } user || !Ids.IsValid(user))
                {
                    context.Fail("The token's sub is not a valid user id.");
                }

                return Task.CompletedTask;
            },
        };
    }
}

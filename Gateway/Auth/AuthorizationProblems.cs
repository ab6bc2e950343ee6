using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Net.Http.Headers;

namespace Personalization.Gateway.Auth;

/// <summary>Answers a refused request with problem+json: 401 for no or a bad key or token, 403 for a role or user too low.</summary>
public sealed class AuthorizationProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    public const string ForbiddenTitle = "Insufficient role";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var token = !context.Request.Headers.ContainsKey(ApiKeys.HeaderName) && context.Request.Headers.Authorization.Count > 0;
            return WriteAsync(context, StatusCodes.Status401Unauthorized, token ? "Invalid or expired user token" : "Missing or unknown API key", token
                ? "Send a token signed with a key of Auth:UserTokens:SigningKey (HS256, with sub and exp), or an API key."
                : $"Send a valid key in the {ApiKeys.HeaderName} header.");
        }

        if (authorizeResult.Forbidden)
        {
            var needed = policy.Requirements.OfType<ApiRoleRequirement>().Select(r => r.Role).DefaultIfEmpty().Max().ToString().ToLowerInvariant();
            return WriteAsync(context, StatusCodes.Status403Forbidden, ForbiddenTitle, context.User.Identity is ApiKeyIdentity key
                ? $"This operation needs the '{needed}' role; the key has '{key.Role.ToString().ToLowerInvariant()}'."
                : "A user token reaches only its own user's recommendations, profile, mastery, predictions and events.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            // A browser asks for credentials only when offered basic authentication: only where it is meant to sign in.
            context.Response.Headers[HeaderNames.WWWAuthenticate] = context.GetEndpoint()?.Metadata.GetMetadata<BrowserSignIn>() is { } signIn
                ? $"Basic realm=\"{signIn.Realm}\", charset=\"UTF-8\""
                : "ApiKey, Bearer";
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

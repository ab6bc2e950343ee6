using Microsoft.AspNetCore.Authorization;

namespace Personalization.Gateway.Auth;

/// <summary>
/// The least role an endpoint accepts; also endpoint metadata, from which the API document states it. An end-user
/// token meets it only on an endpoint that lets tokens in (<see cref="UserTokenAccess"/>).
/// </summary>
public sealed record ApiRoleRequirement(ApiRole Role) : IAuthorizationRequirement
{
    public string PolicyName => Role.ToString().ToLowerInvariant();
}

/// <summary>What an end-user token may do on an endpoint: nothing unless the endpoint carries one of these.</summary>
public enum UserTokenAccess
{
    /// <summary>The route's <c>{userId}</c> must be the token's user.</summary>
    OwnUser,

    /// <summary>The body's events must all be the token's user's (checked by <see cref="OwnEventsFilter"/>).</summary>
    OwnEvents,
}

/// <summary>Grants a key of the role or higher, and a token where the endpoint lets it in for its own user.</summary>
public sealed class ApiRoleHandler : AuthorizationHandler<ApiRoleRequirement>
{
    public const string UserIdRouteValue = "userId";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiRoleRequirement requirement)
    {
        if (context.User.Identity is ApiKeyIdentity key ? key.Role >= requirement.Role : TokenMayCall(context))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private static bool TokenMayCall(AuthorizationHandlerContext context)
    {
        if (context.User.TokenUser() is not { } user || context.Resource is not HttpContext http)
        {
            return false;
        }

        return http.GetEndpoint()?.Metadata.GetMetadata<UserTokenAccessMetadata>()?.Access switch
        {
            UserTokenAccess.OwnUser => http.Request.RouteValues[UserIdRouteValue] is string routeUser && routeUser == user,
            UserTokenAccess.OwnEvents => true,
            _ => false,
        };
    }
}

/// <summary>Endpoint metadata: the endpoint lets end-user tokens in, as <see cref="Access"/> says.</summary>
public sealed record UserTokenAccessMetadata(UserTokenAccess Access);

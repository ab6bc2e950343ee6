using Microsoft.AspNetCore.Authorization;

namespace Personalization.Gateway.Auth;

/// <summary>How endpoints declare who may call them, as authorization policies and as metadata the API document reads.</summary>
public static class EndpointAuthorization
{
    /// <summary>Requires an API key with at least <paramref name="role"/> on these endpoints (401 without one, 403 below it).</summary>
    public static TBuilder RequireApiRole<TBuilder>(this TBuilder builder, ApiRole role)
        where TBuilder : IEndpointConventionBuilder
    {
        var requirement = new ApiRoleRequirement(role);
        return builder.RequireAuthorization(requirement.PolicyName).WithMetadata(requirement)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>Also lets in an end-user token whose user is the route's <c>{userId}</c>.</summary>
    public static TBuilder AllowUserToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new UserTokenAccessMetadata(UserTokenAccess.OwnUser));

    /// <summary>Also lets in an end-user token when every event of the body is its user's.</summary>
    public static RouteHandlerBuilder AllowUserTokenForOwnEvents(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new UserTokenAccessMetadata(UserTokenAccess.OwnEvents)).AddEndpointFilter<OwnEventsFilter>();

    /// <summary>One policy per role, and a fallback so that an endpoint declaring nothing needs an API key.</summary>
    public static AuthorizationBuilder AddRolePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var role in Enum.GetValues<ApiRole>())
        {
            var requirement = new ApiRoleRequirement(role);
            authorization.AddPolicy(requirement.PolicyName, policy => policy.RequireAuthenticatedUser().AddRequirements(requirement));
        }

        return authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().AddRequirements(new ApiRoleRequirement(ApiRole.Read)).Build());
    }
}

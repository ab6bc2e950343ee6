namespace Personalization.Gateway.Auth;

/// <summary>Rejects a request without a known key (401) or whose key's role is too low (403).</summary>
public sealed class ApiKeyFilter(ApiRole required) : IEndpointFilter
{
    /// <summary>The least role the endpoint accepts; the API document states it.</summary>
    public ApiRole Role => required;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
        if (!keys.IsOpen)
        {
            var role = keys.RoleOf(context.HttpContext.Request.Headers[ApiKeys.HeaderName].FirstOrDefault());
            if (role is null)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Missing or unknown API key",
                    detail: $"Send a valid key in the {ApiKeys.HeaderName} header.");
            }

            if (role < required)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Insufficient role",
                    detail: $"This operation needs the '{required.ToString().ToLowerInvariant()}' role; the key has '{role.Value.ToString().ToLowerInvariant()}'.");
            }
        }

        return await next(context);
    }
}

public static class ApiKeyFilterExtensions
{
    /// <summary>
    /// Requires an API key with at least <paramref name="role"/> on these endpoints. The filter is also endpoint
    /// metadata, so that the API document describes the key it enforces along with its 401 and 403 answers.
    /// </summary>
    public static TBuilder RequireApiRole<TBuilder>(this TBuilder builder, ApiRole role)
        where TBuilder : IEndpointConventionBuilder
    {
        var filter = new ApiKeyFilter(role);
        return builder.AddEndpointFilter(filter).WithMetadata(filter)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Auth;

namespace Personalization.Gateway.Api;

/// <summary>Who the caller is: lets a client (the console) show only what the caller's key may do.</summary>
public static class CallerApi
{
    public static RouteGroupBuilder MapCallerApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/whoami", WhoAmI).WithName("WhoAmI").WithTags("Caller").RequireApiRole(ApiRole.Read)
            .WithSummary("The role of the calling API key");
        return v1;
    }

    /// <summary><c>role</c>: read, ingest or admin (each includes the ones before it).</summary>
    public sealed record CallerResponse(string Role);

    private static Ok<CallerResponse> WhoAmI(ClaimsPrincipal user) =>
        TypedResults.Ok(new CallerResponse(((ApiKeyIdentity)user.Identity!).Role.ToString().ToLowerInvariant()));
}

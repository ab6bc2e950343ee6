using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Auth;
using Personalization.Services;

namespace Personalization.Gateway.Api;

public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/users/{userId}", GetProfileAsync).WithName("GetUserProfile").WithTags("Users").RequireApiRole(ApiRole.Read).AllowUserToken().WithSummary("A user's profile");
        return v1;
    }

    public sealed record ConsentResponse(bool Personalization);

    public sealed record ProfileResponse(
        string UserId, long InteractionCount, string[] TopCategories, ConsentResponse Consent, DateTimeOffset? LastSeen);

    /// <summary>An unknown user is not an error: it has no history yet (interactionCount 0).</summary>
    private static async Task<Results<Ok<ProfileResponse>, ValidationProblem>> GetProfileAsync(string userId, PrivacyService privacy)
    {
        if (Problems.InvalidId("userId", userId) is { } invalid)
        {
            return invalid;
        }

        var profile = await privacy.GetProfileAsync(userId);
        return TypedResults.Ok(new ProfileResponse(userId, profile.InteractionCount, profile.TopCategories, new ConsentResponse(profile.Personalization), profile.LastSeen));
    }
}

using System.Text.Json;
using Personalization.Gateway.Api;
using Personalization.Gateway.Validation;

namespace Personalization.Gateway.Auth;

/// <summary>
/// For an end-user token on <c>POST /v1/events</c>: every <c>userId</c> in the body must be the token's user, or the
/// whole batch is refused (403) before anything reads it for real. API keys pass untouched.
/// </summary>
public sealed class OwnEventsFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.TokenUser() is not { } user)
        {
            return await next(context);
        }

        http.Request.EnableBuffering(bufferLimit: JsonBody.MaxBytes);
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (!OnlyUser(document.RootElement, user))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: AuthorizationProblems.ForbiddenTitle,
                    detail: "A user token may only send events of its own user.");
            }
        }
        catch (IOException)
        {
            return Problems.TooLarge();
        }
        catch (JsonException)
        {
            // Not JSON: the handler answers the 400, and nothing of the body is applied.
        }

        http.Request.Body.Position = 0;
        return await next(context);
    }

    /// <summary>False when any <c>userId</c> of any element, under any letter case or repeated, is not <paramref name="user"/>.</summary>
    private static bool OnlyUser(JsonElement root, string user) =>
        root.ValueKind != JsonValueKind.Array || root.EnumerateArray().All(element =>
            element.ValueKind != JsonValueKind.Object || element.EnumerateObject()
                .Where(p => p.Name.Equals("userId", StringComparison.OrdinalIgnoreCase))
                .All(p => p.Value.ValueKind == JsonValueKind.String && p.Value.ValueEquals(user)));
}

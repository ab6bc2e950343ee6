using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Personalization.Gateway.Validation;

namespace Personalization.Gateway.Api;

/// <summary>The problem responses the endpoints share.</summary>
public static class Problems
{
    public static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body exceeds {JsonBody.MaxBytes} bytes (1 MiB); send smaller batches.");

    public static NotFound<ProblemDetails> ItemNotFound(string itemId) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Item not found",
        Detail = $"No item with id '{itemId}' has been seen.",
    });

    /// <summary>A 400 naming the route parameter when <paramref name="id"/> breaks the id rule; otherwise null.</summary>
    public static ValidationProblem? InvalidId(string parameter, string id) => Ids.IsValid(id)
        ? null
        : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter] = [$"'{parameter}' {Ids.Rule}."] });
}

using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Validation;

namespace Personalization.Gateway.Api;

/// <summary>The problem responses the endpoints share.</summary>
public static class Problems
{
    public static ProblemHttpResult TooLarge(long maxBytes = JsonBody.MaxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body exceeds {maxBytes} bytes ({maxBytes >> 20} MiB); send smaller batches.");

    public static ProblemHttpResult ItemNotFound(string itemId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Item not found",
        detail: $"No item with id '{itemId}' has been seen.");

    /// <summary>A 400 naming the route parameter when <paramref name="id"/> breaks the id rule; otherwise null.</summary>
    public static ValidationProblem? InvalidId(string parameter, string id) => Ids.IsValid(id)
        ? null
        : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter] = [IdRule(parameter)] });

    /// <summary>Reports the route parameter among <paramref name="errors"/> when <paramref name="id"/> breaks the id rule.</summary>
    public static void CheckId(ValidationErrors errors, string parameter, string id)
    {
        if (!Ids.IsValid(id))
        {
            errors.Add(parameter, IdRule(parameter));
        }
    }

    private static string IdRule(string parameter) => $"'{parameter}' {Ids.Rule}.";

    /// <summary>An item the request would create past <c>Catalog:MaxItems</c>; the request is refused whole.</summary>
    public static void CatalogFull(ValidationErrors errors, string key, string itemId) => errors.Add(
        key, $"'{itemId}' is not in the catalog, and the catalog is full (Catalog:MaxItems): no new item can be created until the cap is raised.");
}

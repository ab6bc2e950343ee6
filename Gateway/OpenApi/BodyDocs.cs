using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personalization.Gateway.Validation;

namespace Personalization.Gateway.OpenApi;

/// <summary>How large a request body may be, as the validators enforce it; the document states it.</summary>
public sealed record BodyLimits(int? MaxItems, long MaxBytes, bool PerLine);

/// <summary>
/// Describes the body an endpoint reads by hand (<see cref="JsonBody"/>) and the problems reading it can answer: 400
/// (errors keyed by JSON path), 413 and 415; the media type documented is the one <see cref="MediaTypeFilter"/> enforces.
/// </summary>
public static class BodyDocs
{
    public const string Json = "application/json";
    public const string JsonLines = "application/x-ndjson";

    /// <summary>A JSON array of 1 to <paramref name="maxItems"/> <typeparamref name="T"/>, within <see cref="JsonBody.MaxBytes"/>.</summary>
    public static RouteHandlerBuilder AcceptsBatch<T>(this RouteHandlerBuilder builder, int maxItems) =>
        builder.Accepts<T[]>(Json).Body(Json, new BodyLimits(maxItems, JsonBody.MaxBytes, PerLine: false));

    /// <summary>One JSON object, within <see cref="JsonBody.MaxBytes"/>.</summary>
    public static RouteHandlerBuilder AcceptsObject<T>(this RouteHandlerBuilder builder)
        where T : notnull =>
        builder.Accepts<T>(Json).Body(Json, new BodyLimits(null, JsonBody.MaxBytes, PerLine: false));

    /// <summary>Newline-delimited JSON: one <typeparamref name="T"/> per line, 1 to <paramref name="maxLines"/> lines.</summary>
    public static RouteHandlerBuilder AcceptsLines<T>(this RouteHandlerBuilder builder, int maxLines, long maxBytes)
        where T : notnull =>
        builder.Accepts<T>(JsonLines).Body(JsonLines, new BodyLimits(maxLines, maxBytes, PerLine: true));

    private static RouteHandlerBuilder Body(this RouteHandlerBuilder builder, string mediaType, BodyLimits limits) =>
        builder.AddEndpointFilter(new MediaTypeFilter(mediaType)).WithMetadata(limits)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}

/// <summary>Writes each body's <see cref="BodyLimits"/> into the document: item counts on the array, size in the description.</summary>
internal sealed class BodyLimitsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var limits = context.Description.ActionDescriptor.EndpointMetadata.OfType<BodyLimits>().LastOrDefault();
        if (limits is null || operation.RequestBody is not OpenApiRequestBody body)
        {
            return Task.CompletedTask;
        }

        body.Required = true;
        var size = $"At most {limits.MaxBytes >> 20} MiB.";
        if (limits.PerLine)
        {
            body.Description = $"One JSON object per line, 1 to {limits.MaxItems:N0} lines. {size}";
        }
        else if (limits.MaxItems is { } max)
        {
            body.Description = $"A JSON array of 1 to {max} elements, even of one. {size}";
            foreach (var schema in body.Content?.Values.Select(c => c.Schema).OfType<OpenApiSchema>() ?? [])
            {
                (schema.MinItems, schema.MaxItems) = (1, max);
            }
        }
        else
        {
            body.Description = size;
        }

        return Task.CompletedTask;
    }
}

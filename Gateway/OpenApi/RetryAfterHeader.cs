using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Personalization.Gateway.OpenApi;

/// <summary>Every 429 of the document states its <c>Retry-After</c> header, so that a client knows when to come back.</summary>
internal sealed class RetryAfterHeader : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.GetValueOrDefault("429") is OpenApiResponse limited)
        {
            limited.Headers ??= new Dictionary<string, IOpenApiHeader>();
            limited.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Whole seconds after which the key or token may send again.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            };
        }

        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personalization.Gateway.Auth;

namespace Personalization.Gateway.OpenApi;

/// <summary>
/// The <c>X-Api-Key</c> scheme, required on every operation behind an <see cref="ApiKeyFilter"/>, with the least
/// role it accepts in the operation's description.
/// </summary>
internal sealed class ApiKeySecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.HeaderName,
            Description = "A key from the gateway's configuration Auth:ApiKeys:{role}. Roles: read < ingest < admin, "
                + "each allowing what the ones before it do.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var filters = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyFilter>().ToList();
        if (filters.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Every filter of the endpoint runs, so the highest role is the one it takes.
        var role = filters.Max(f => f.Role).ToString().ToLowerInvariant();
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
        var requirement = $"Needs an API key ({ApiKeys.HeaderName}) with the '{role}' role or higher.";
        operation.Description = operation.Description is { Length: > 0 } description ? $"{description}\n\n{requirement}" : requirement;
        return Task.CompletedTask;
    }
}

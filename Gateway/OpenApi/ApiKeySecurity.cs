using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personalization.Gateway.Auth;

namespace Personalization.Gateway.OpenApi;

/// <summary>
/// The <c>X-Api-Key</c> scheme, required on every operation with an <see cref="ApiRoleRequirement"/>, with the least
/// role it accepts in the operation's description; and the end-user token scheme, offered as the alternative on the
/// operations that let a token in.
/// </summary>
internal sealed class ApiKeySecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "ApiKey";
    public const string TokenSchemeName = "UserToken";

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
        document.Components.SecuritySchemes[TokenSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An end-user token: an HS256 JWT signed by the app's backend with a key of Auth:UserTokens:SigningKey, "
                + "with sub (the user id) and exp. It reaches only that user's own reads and events.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var requirements = metadata.OfType<ApiRoleRequirement>().ToList();
        if (requirements.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Every requirement of the endpoint must be met, so the highest role is the one it takes.
        var role = requirements.Max(r => r.Role).ToString().ToLowerInvariant();
        operation.Security = [Requirement(SchemeName, context.Document)];
        var description = $"Needs an API key ({ApiKeys.HeaderName}) with the '{role}' role or higher.";
        if (metadata.OfType<UserTokenAccessMetadata>().LastOrDefault() is { } token)
        {
            operation.Security.Add(Requirement(TokenSchemeName, context.Document));
            description += token.Access == UserTokenAccess.OwnUser
                ? " Or an end-user token (Authorization: Bearer) whose sub is the userId of the path."
                : " Or an end-user token (Authorization: Bearer) when every event is its sub's.";
        }

        operation.Description = operation.Description is { Length: > 0 } text ? $"{text}\n\n{description}" : description;
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}

using Personalization.Gateway.Validation;
using Scalar.AspNetCore;

namespace Personalization.Gateway.OpenApi;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and the API reference over it (<c>/docs</c>), both open to anyone.</summary>
public static class ApiDocument
{
    public const string ReferencePath = "/docs";

    private const string Title = "Personalization API";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = Title;
                document.Info.Description = "Real-time recommendations over a catalog and its users' events. Errors are application/problem+json; "
                    + $"a 400 keys its errors by JSON path or parameter and lists at most {ValidationErrors.MaxListed}, counting the rest in one message under \"$\".";
                // Relative to wherever the document is served from, so that every gateway serves the same document and
                // the client's committed copy (Client/openapi.json) stays comparable.
                document.Servers = [];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer<SchemaRulesTransformer>();
            options.AddOperationTransformer<QueryParametersTransformer>();
            options.AddOperationTransformer<BodyLimitsTransformer>();
            options.AddDocumentTransformer<ApiKeySecurity>();
            options.AddOperationTransformer<ApiKeySecurity>();
            options.AddOperationTransformer<RetryAfterHeader>();
        });

    /// <summary>
    /// Maps the document and the reference. The reference must work without internet access: its script is served by
    /// the gateway (Scalar's default); its fonts would come from Scalar's CDN, and its toolbar and AI chat call Scalar's
    /// services, so they are off.
    /// </summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle(Title)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .HideDeveloperTools()
            .AddPreferredSecuritySchemes(ApiKeySecurity.SchemeName))
            .AllowAnonymous();
        return app;
    }

    /// <summary>Problems any operation of the API can answer: rate limited (429) and cluster unavailable (503).</summary>
    public static RouteGroupBuilder ProducesCommonProblems(this RouteGroupBuilder api) =>
        api.ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}

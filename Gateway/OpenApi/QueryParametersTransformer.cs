using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personalization.Gateway.Validation;

namespace Personalization.Gateway.OpenApi;

/// <summary>
/// Lists the <see cref="QueryParameter"/>s each endpoint declares (the ones its <see cref="QueryReader"/> reads), and
/// gives every route parameter, all of which are ids, the id rule.
/// </summary>
internal sealed class QueryParametersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        foreach (var path in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path))
        {
            path.Schema = IdSchema();
        }

        foreach (var query in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameter>())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = query.Required,
                Description = query.Description,
                Schema = Schema(query),

                // A list is one comma-separated value: ?exclude=a,b.
                Explode = query.Kind != QueryKind.IdList,
            });
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Schema(QueryParameter query)
    {
        var schema = query.Kind switch
        {
            QueryKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            QueryKind.Number => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
            QueryKind.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            QueryKind.Id => IdSchema(),
            QueryKind.Label => new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Ids.MaxLength },
            QueryKind.IdList => new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = IdSchema(),
                MinItems = query.Required ? 1 : null,
                MaxItems = (int)query.Maximum!,
            },
            QueryKind.Choice => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. query.Allowed.Select(a => (JsonNode)JsonValue.Create(a))] },
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Kind, "Unknown query parameter kind."),
        };
        if (query.Kind is QueryKind.Integer or QueryKind.Number)
        {
            var (min, max) = (Text(query.Minimum!.Value), Text(query.Maximum!.Value));
            (schema.Minimum, schema.Maximum) = query.ExclusiveBounds ? (null, null) : (min, max);
            (schema.ExclusiveMinimum, schema.ExclusiveMaximum) = query.ExclusiveBounds ? (min, max) : (null, null);
        }

        schema.Default = query.Default switch
        {
            int value => JsonValue.Create(value),
            double value => JsonValue.Create(value),
            bool value => JsonValue.Create(value),
            _ => null,
        };
        return schema;
    }

    private static OpenApiSchema IdSchema() =>
        new() { Type = JsonSchemaType.String, Pattern = Ids.Pattern, MinLength = 1, MaxLength = Ids.MaxLength };

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}

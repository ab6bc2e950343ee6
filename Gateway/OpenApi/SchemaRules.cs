using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personalization.Gateway.Validation;
using Personalization.Model;

namespace Personalization.Gateway.OpenApi;

/// <summary>A rule of the validators that DataAnnotations cannot state, written onto the property's schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public abstract class SchemaRuleAttribute : Attribute
{
    public abstract void Apply(OpenApiSchema schema);

    /// <summary>The schema of each element when the property is an array, else the property's own.</summary>
    protected static OpenApiSchema Element(OpenApiSchema schema) => schema.Items as OpenApiSchema ?? schema;
}

/// <summary>The id rule of <see cref="Ids"/>, on an id or on each id of an array.</summary>
public sealed class IdRuleAttribute : SchemaRuleAttribute
{
    public override void Apply(OpenApiSchema schema)
    {
        var element = Element(schema);
        (element.Pattern, element.MinLength, element.MaxLength) = (Ids.Pattern, 1, Ids.MaxLength);
    }
}

/// <summary>Labels (categories, tags): non-empty strings of at most <see cref="Ids.MaxLength"/> characters.</summary>
public sealed class LabelRuleAttribute : SchemaRuleAttribute
{
    public override void Apply(OpenApiSchema schema)
    {
        var element = Element(schema);
        (element.MinLength, element.MaxLength) = (1, Ids.MaxLength);
    }
}

/// <summary>The event types of <see cref="EventSignal"/>.</summary>
public sealed class EventTypeRuleAttribute : SchemaRuleAttribute
{
    public override void Apply(OpenApiSchema schema) =>
        schema.Enum = [.. EventSignal.Types.Select(type => (JsonNode)JsonValue.Create(type))];
}

/// <summary>The value an event takes: only the types of <see cref="EventSignal"/> that require one, each in its range.</summary>
public sealed class EventValueRuleAttribute : SchemaRuleAttribute
{
    public override void Apply(OpenApiSchema schema)
    {
        var ranges = EventSignal.Types.Where(EventSignal.RequiresValue).Select(type => (Type: type, Range: EventSignal.ValueRange(type))).ToList();
        schema.Minimum = Text(ranges.Min(r => r.Range.Min));
        schema.Maximum = Text(ranges.Max(r => r.Range.Max));
        schema.Description = "Required for " + string.Join(" and for ", ranges.Select(r => $"'{r.Type}' ({Text(r.Range.Min)} to {Text(r.Range.Max)})"))
            + "; rejected on the other types.";
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Applies the <see cref="SchemaRuleAttribute"/>s of each property.</summary>
internal sealed class SchemaRulesTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // The web JSON defaults would read a number from a string, so the schema allows one; neither the validators
        // nor the responses do.
        if (schema.Type is { } type && (type & (JsonSchemaType.Number | JsonSchemaType.Integer)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            (schema.Type, schema.Pattern) = (type & ~JsonSchemaType.String, null);
        }

        var rules = context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(SchemaRuleAttribute), inherit: false) ?? [];
        foreach (var rule in rules.Cast<SchemaRuleAttribute>())
        {
            rule.Apply(schema);
        }

        return Task.CompletedTask;
    }
}

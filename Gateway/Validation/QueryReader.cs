using System.Globalization;

namespace Personalization.Gateway.Validation;

/// <summary>
/// Reads the query-string parameters its endpoint declares (<see cref="QueryParameterExtensions.WithQuery"/>), recording a
/// message keyed by the parameter name for each bad one.
/// </summary>
public sealed class QueryReader(HttpRequest request, ValidationErrors errors)
{
    private readonly IQueryCollection _query = request.Query;
    private readonly IReadOnlyList<QueryParameter> _declared =
        request.HttpContext.GetEndpoint()?.Metadata.GetOrderedMetadata<QueryParameter>() ?? [];

    public ValidationErrors Errors => errors;

    public int Int(QueryParameter parameter)
    {
        var name = Declared(parameter, QueryKind.Integer);
        var (fallback, min, max) = ((int)parameter.Default!, (int)parameter.Minimum!, (int)parameter.Maximum!);
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(name, $"'{name}' must be an integer from {min} to {max}.");
            return fallback;
        }

        return value;
    }

    /// <summary>A number within the declared bounds; absent, the declared default or else <paramref name="configured"/>.</summary>
    public double Number(QueryParameter parameter, double? configured = null)
    {
        var name = Declared(parameter, QueryKind.Number);
        var (min, max) = (parameter.Minimum!.Value, parameter.Maximum!.Value);
        var fallback = configured ?? (double)parameter.Default!;
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value) || value < min || value > max)
        {
            errors.Add(name, $"'{name}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return fallback;
        }

        if (parameter.ExclusiveBounds && (value == min || value == max))
        {
            errors.Add(name, $"'{name}' must be strictly between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.");
            return fallback;
        }

        return value;
    }

    public bool Bool(QueryParameter parameter)
    {
        var name = Declared(parameter, QueryKind.Boolean);
        var fallback = (bool)parameter.Default!;
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (!bool.TryParse(text, out var value))
        {
            errors.Add(name, $"'{name}' must be true or false.");
            return fallback;
        }

        return value;
    }

    public string? Id(QueryParameter parameter)
    {
        var name = Declared(parameter, QueryKind.Id);
        var text = Raw(name);
        if (text is not null && !Ids.IsValid(text))
        {
            errors.Add(name, $"'{name}' {Ids.Rule}.");
            return null;
        }

        return text;
    }

    /// <summary>A free-text label such as a category: non-empty, at most 256 characters.</summary>
    public string? Label(QueryParameter parameter)
    {
        var name = Declared(parameter, QueryKind.Label);
        var text = Raw(name);
        if (text is not null && (string.IsNullOrWhiteSpace(text) || text.Length > Ids.MaxLength))
        {
            errors.Add(name, $"'{name}' must be a non-empty string of at most {Ids.MaxLength} characters.");
            return null;
        }

        return text;
    }

    /// <summary>Comma-separated ids, at most the declared maximum; a required list must hold one at least.</summary>
    public string[] IdList(QueryParameter parameter)
    {
        var (name, max) = (Declared(parameter, QueryKind.IdList), (int)parameter.Maximum!);
        var ids = Raw(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (ids.Length == 0)
        {
            // A repeated parameter was reported already.
            if (parameter.Required && _query[name].Count <= 1)
            {
                errors.Add(name, $"'{name}' ({parameter.Description}) is required.");
            }

            return [];
        }

        if (ids.Length > max)
        {
            errors.Add(name, $"'{name}' holds {ids.Length} ids; at most {max} are allowed.");
            return [];
        }

        if (ids.FirstOrDefault(id => !Ids.IsValid(id)) is { } bad)
        {
            errors.Add(name, $"'{name}' contains '{bad}', which is not a valid id: ids {Ids.Rule}.");
            return [];
        }

        return ids;
    }

    /// <summary>One of the declared values, or absent.</summary>
    public string? Choice(QueryParameter parameter)
    {
        var name = Declared(parameter, QueryKind.Choice);
        var text = Raw(name);
        if (text is not null && !parameter.Allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(name, $"'{name}' must be {string.Join(" or ", parameter.Allowed.Select(a => $"'{a}'"))} or absent.");
            return null;
        }

        return text;
    }

    /// <summary>
    /// The parameter's name, once it is known to be declared on this endpoint as this kind: reading an undeclared
    /// parameter is a bug that would leave it out of the API document, so it fails every request that reaches it.
    /// </summary>
    private string Declared(QueryParameter parameter, QueryKind kind) =>
        parameter.Kind == kind && _declared.Contains(parameter)
            ? parameter.Name
            : throw new InvalidOperationException($"Query parameter '{parameter.Name}' ({kind}) is read but not declared on "
                + $"{request.HttpContext.GetEndpoint()?.DisplayName}: list it with WithQuery.");

    private string? Raw(string name)
    {
        var values = _query[name];
        if (values.Count > 1)
        {
            errors.Add(name, $"'{name}' is given more than once.");
            return null;
        }

        return values.Count == 0 ? null : values[0];
    }
}

using System.Globalization;

namespace Personalization.Gateway.Validation;

/// <summary>Reads query-string parameters, recording a message keyed by the parameter name for each bad one.</summary>
public sealed class QueryReader(IQueryCollection query, ValidationErrors errors)
{
    public ValidationErrors Errors => errors;

    public int Int(string name, int fallback, int min, int max)
    {
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

    public double Number(string name, double fallback, double min, double max)
    {
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

        return value;
    }

    /// <summary>A probability strictly between 0 and 1.</summary>
    public double Probability(string name, double fallback)
    {
        var value = Number(name, fallback, 0, 1);
        if (value is 0 or 1)
        {
            errors.Add(name, $"'{name}' must be strictly between 0 and 1.");
            return fallback;
        }

        return value;
    }

    public bool Bool(string name, bool fallback)
    {
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

    public string? Id(string name)
    {
        var text = Raw(name);
        if (text is not null && !Ids.IsValid(text))
        {
            errors.Add(name, $"'{name}' {Ids.Rule}.");
            return null;
        }

        return text;
    }

    /// <summary>A free-text label such as a category: non-empty, at most 256 characters.</summary>
    public string? Label(string name)
    {
        var text = Raw(name);
        if (text is not null && (string.IsNullOrWhiteSpace(text) || text.Length > Ids.MaxLength))
        {
            errors.Add(name, $"'{name}' must be a non-empty string of at most {Ids.MaxLength} characters.");
            return null;
        }

        return text;
    }

    /// <summary>Comma-separated ids, at most <paramref name="max"/>.</summary>
    public string[] IdList(string name, int max)
    {
        if (Raw(name) is not { } text)
        {
            return [];
        }

        var ids = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
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

    private string? Raw(string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            errors.Add(name, $"'{name}' is given more than once.");
            return null;
        }

        return values.Count == 0 ? null : values[0];
    }
}

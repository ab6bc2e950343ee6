using System.Globalization;
using System.Text.Json;

namespace Personalization.Gateway.Validation;

/// <summary>
/// Reads the fields of one JSON object, recording a message keyed by the field's JSON path for each bad one.
/// Property names match case-insensitively; unknown properties are ignored.
/// </summary>
public sealed class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _path;
    private readonly ValidationErrors _errors;

    private JsonObjectReader(string path, ValidationErrors errors)
    {
        _path = path;
        _errors = errors;
    }

    /// <summary>A reader over <paramref name="element"/>, or null (with an error) when it is not an object.</summary>
    public static JsonObjectReader? For(JsonElement element, string path, ValidationErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "Each element must be a JSON object.");
            return null;
        }

        var reader = new JsonObjectReader(path, errors);
        foreach (var property in element.EnumerateObject())
        {
            reader._fields[property.Name] = property.Value;
        }

        return reader;
    }

    /// <summary>False once any field of this object was reported bad.</summary>
    public bool IsValid { get; private set; } = true;

    /// <summary>The JSON path of a field: <c>[3].type</c> in a batch, <c>personalization</c> in a single-object body.</summary>
    public string Path(string field) => _path.Length == 0 ? field : $"{_path}.{field}";

    public void Error(string field, string message) => ErrorAt(Path(field), message);

    private void ErrorAt(string path, string message)
    {
        _errors.Add(path, message);
        IsValid = false;
    }

    /// <summary>True when the field is absent or JSON null.</summary>
    public bool IsMissing(string field) =>
        !_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null;

    public string? Id(string field, bool required)
    {
        var value = String(field, required);
        if (value is not null && !Ids.IsValid(value))
        {
            Error(field, $"'{field}' {Ids.Rule}.");
            return null;
        }

        return value;
    }

    public string? String(string field, bool required)
    {
        if (IsMissing(field))
        {
            if (required)
            {
                Error(field, $"'{field}' is required.");
            }

            return null;
        }

        var value = _fields[field];
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(field, $"'{field}' must be a string.");
            return null;
        }

        return value.GetString();
    }

    public double? Number(string field)
    {
        if (IsMissing(field))
        {
            return null;
        }

        var value = _fields[field];
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Error(field, $"'{field}' must be a finite number.");
            return null;
        }

        return number;
    }

    public bool? Bool(string field)
    {
        if (IsMissing(field))
        {
            return null;
        }

        var value = _fields[field];
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(field, $"'{field}' must be true or false.");
            return null;
        }

        return value.GetBoolean();
    }

    public DateTimeOffset? Timestamp(string field)
    {
        var text = String(field, required: false);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            Error(field, $"'{field}' must be an ISO 8601 date and time, such as 2026-11-26T10:00:00Z.");
            return null;
        }

        return timestamp;
    }

    /// <summary>An array of distinct ids (such as skills), at most <paramref name="maxCount"/>.</summary>
    public string[]? IdArray(string field, int maxCount)
    {
        var ids = Labels(field, maxCount);
        if (ids?.FirstOrDefault(id => !Ids.IsValid(id)) is { } bad)
        {
            Error(field, $"'{field}' contains '{bad}', which is not a valid id: ids {Ids.Rule}.");
            return null;
        }

        return ids;
    }

    /// <summary>An array of distinct non-empty strings (labels such as categories), each at most 256 characters.</summary>
    public string[]? Labels(string field, int maxCount)
    {
        if (IsMissing(field))
        {
            return null;
        }

        var value = _fields[field];
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(field, $"'{field}' must be an array of strings.");
            return null;
        }

        if (value.GetArrayLength() > maxCount)
        {
            Error(field, $"'{field}' holds {value.GetArrayLength()} entries; at most {maxCount} are allowed.");
            return null;
        }

        var labels = new List<string>();
        var index = 0;
        var valid = true;
        foreach (var entry in value.EnumerateArray())
        {
            var text = entry.ValueKind == JsonValueKind.String ? entry.GetString() : null;
            if (string.IsNullOrWhiteSpace(text) || text.Length > Ids.MaxLength)
            {
                ErrorAt($"{Path(field)}[{index}]", "Each entry must be a non-empty string of at most 256 characters.");
                valid = false;
            }
            else if (!labels.Contains(text, StringComparer.Ordinal))
            {
                labels.Add(text);
            }

            index++;
        }

        return valid ? [.. labels] : null;
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Personalization.Gateway.Validation;

/// <summary>
/// Finds strings of a JSON text (values and property names) that are not Unicode: invalid UTF-8 bytes, or escapes of
/// lone UTF-16 surrogates (<c>\ud800</c>). The parser accepts both; reading such a string throws.
/// </summary>
public static class JsonStrings
{
    /// <summary>Longest property name quoted in a path, so that an answer never echoes a long name.</summary>
    private const int MaxNameInPath = 64;

    /// <summary>
    /// Reports under its JSON path (prefixed by <paramref name="root"/>) the first string of <paramref name="json"/>
    /// that cannot be read; false when there is one. The text must have parsed.
    /// </summary>
    public static bool Check(ReadOnlySpan<byte> json, string root, ValidationErrors errors)
    {
        // Vectorized scans: valid UTF-8 without an escape that may be a surrogate (\uD800-\uDFFF) reads as is.
        if (Utf8.IsValid(json) && !MayEscapeSurrogate(json))
        {
            return true;
        }

        var frames = new List<(bool IsArray, int Index, string? Name)>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            if (token == JsonTokenType.PropertyName)
            {
                frames[^1] = frames[^1] with { Name = null };
            }
            else if (frames.Count > 0 && frames[^1].IsArray)
            {
                frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
            }

            var isText = token is JsonTokenType.String or JsonTokenType.PropertyName;
            var text = isText ? Read(ref reader) : null;
            if (isText && text is null)
            {
                var path = Path(root, frames);
                var what = token == JsonTokenType.PropertyName ? "A property name" : "The string";
                var why = Utf8.IsValid(reader.ValueSpan) ? "escapes a lone UTF-16 surrogate (such as \\ud800)" : "holds bytes that are not valid UTF-8";
                errors.Add(path.Length == 0 ? JsonBody.RootKey : path, $"{what} here {why}; text must be Unicode.");
                return false;
            }

            if (token == JsonTokenType.PropertyName)
            {
                frames[^1] = frames[^1] with { Name = text!.Length > MaxNameInPath ? text[..MaxNameInPath] + "..." : text };
            }
            else if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Add((token == JsonTokenType.StartArray, -1, null));
            }
        }

        return true;
    }

    private static string? Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool MayEscapeSurrogate(ReadOnlySpan<byte> json)
    {
        for (var at = json.IndexOf("\\u"u8); at >= 0; at = json.IndexOf("\\u"u8))
        {
            json = json[(at + 2)..];
            if (json.Length > 0 && (json[0] | 0x20) == 'd')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path of the current token, in the form of the validators' keys: <c>[3].type</c>, <c>[1].categories[0]</c>.</summary>
    private static string Path(string root, List<(bool IsArray, int Index, string? Name)> frames)
    {
        var path = new StringBuilder(root);
        foreach (var (isArray, index, name) in frames)
        {
            if (isArray && index >= 0)
            {
                path.Append('[').Append(index).Append(']');
            }
            else if (!isArray && name is not null)
            {
                path.Append(path.Length == 0 ? "" : ".").Append(name);
            }
        }

        return path.ToString();
    }
}

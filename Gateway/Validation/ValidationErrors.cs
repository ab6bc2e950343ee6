namespace Personalization.Gateway.Validation;

/// <summary>
/// Collects messages keyed by JSON path (<c>[3].type</c>) or query parameter, as ValidationProblemDetails does. At most
/// <see cref="MaxListed"/> are kept, so that an answer stays small whatever the body; the rest are counted under "$".
/// </summary>
public sealed class ValidationErrors
{
    public const int MaxListed = 100;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private int _listed;
    private int _unlisted;

    public bool Any => _listed > 0;

    public void Add(string key, string message)
    {
        if (_listed == MaxListed)
        {
            _unlisted++;
            return;
        }

        if (!_errors.TryGetValue(key, out var messages))
        {
            _errors[key] = messages = [];
        }

        messages.Add(message);
        _listed++;
    }

    public Dictionary<string, string[]> ToDictionary()
    {
        var errors = _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        if (_unlisted > 0)
        {
            errors[JsonBody.RootKey] = [.. errors.GetValueOrDefault(JsonBody.RootKey) ?? [], $"And {_unlisted} more errors, not listed: at most {MaxListed} are."];
        }

        return errors;
    }
}

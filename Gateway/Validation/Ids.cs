namespace Personalization.Gateway.Validation;

/// <summary>The id rule of the API: 1 to 256 characters of letters, digits and <c>-_.:@</c>.</summary>
public static class Ids
{
    public const int MaxLength = 256;

    public const string Rule = "must be 1 to 256 characters of letters, digits and -_.:@";

    /// <summary>The rule as a regular expression, for the API document; <see cref="IsValid"/> is its fast form.</summary>
    public static readonly string Pattern = $"^[A-Za-z0-9\\-_.:@]{{1,{MaxLength}}}$";

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@'))
            {
                return false;
            }
        }

        return true;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Personalization.Bench.Cli;

/// <summary>Options whose values the parser checks, so that a bad value is a usage error before anything runs.</summary>
public static class OptionValues
{
    /// <summary>An integer option within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Int(string name, string description, int fallback, int min = 1, int max = int.MaxValue) =>
        Number(name, description, fallback, min, max);

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>], written with a dot whatever the culture.</summary>
    public static Option<T> Number<T>(string name, string description, T fallback, T min, T max)
        where T : struct, INumber<T> => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!T.TryParse(text, CultureInfo.InvariantCulture, out var value))
                {
                    result.AddError($"{name} takes a number, not '{text}'.");
                }
                else if (value < min || value > max)
                {
                    result.AddError(max == T.CreateSaturating(int.MaxValue)
                        ? $"{name} must be at least {min}, not {text}."
                        : $"{name} must be between {min} and {max}, not {text}.");
                }

                return value;
            },
        };

    /// <summary>A comma-separated list of integers, such as seeds: <c>1,2,3</c>.</summary>
    public static Option<int[]> IntList(string name, string description, int[]? fallback = null)
    {
        var option = new Option<int[]>(name) { Description = description };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }

        option.CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            var values = new List<int>();
            foreach (var part in text.Split(','))
            {
                if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    result.AddError($"{name} takes integers separated by commas, not '{text}'.");
                    return [];
                }

                values.Add(value);
            }

            return [.. values];
        };
        return option;
    }

    /// <summary>An absolute http(s) address.</summary>
    public static Option<Uri> Url(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return url;
            }

            result.AddError($"{name} takes an absolute http(s) address, not '{text}'.");
            return null;
        },
    };

    /// <summary>Absolute http(s) addresses: the option repeated, or comma-separated, or both.</summary>
    public static Option<Uri[]> Urls(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var urls = new List<Uri>();
            foreach (var text in result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    result.AddError($"{name} takes absolute http(s) addresses, not '{text}'.");
                    return [];
                }

                urls.Add(url);
            }

            if (urls.Count == 0)
            {
                result.AddError($"{name} needs at least one address.");
            }

            return [.. urls];
        },
    };

    /// <summary>A file the command writes its report to, as JSON.</summary>
    public static Option<string> JsonFile() => new("--json") { Description = "Also write the report as JSON to this file." };
}

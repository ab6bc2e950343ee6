using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Personalization.Tests.Infrastructure;

/// <summary>One answer of <c>/metrics</c> in the Prometheus text format: its samples by series name and labels.</summary>
public sealed partial class MetricsScrape
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    private MetricsScrape(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is { Success: true } match)
            {
                _samples.Add((match.Groups["name"].Value, match.Groups["labels"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }
    }

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    /// <summary>GET /metrics, with <paramref name="apiKey"/> as a bearer value when given (as Prometheus sends it).</summary>
    public static async Task<MetricsScrape> FromAsync(Uri baseAddress, string? apiKey = null)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return new MetricsScrape(text);
    }

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The sum of the series <paramref name="name"/> whose labels contain every one of <paramref name="labels"/> (k="v").</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex Sample();
}

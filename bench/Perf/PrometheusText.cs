using System.Globalization;

namespace Personalization.Bench.Perf;

/// <summary>Reads samples of the Prometheus text format, as the gateway's <c>/metrics</c> answers.</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of the samples of <paramref name="metric"/> over all its labels (such as the GC's generations); 0 when it
    /// has none.
    /// </summary>
    public static double Sum(string text, string metric) => text
        .Split('\n')
        .Where(line => line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is '{' or ' ')
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}

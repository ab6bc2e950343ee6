using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Telemetry;

/// <summary>The metric names the Grafana dashboard in <c>deploy/</c> queries.</summary>
public static partial class GrafanaPanels
{
    public static string DashboardPath => Path.Combine(RepositoryFolder.Path, "deploy", "grafana", "dashboards", "personalization.json");

    public static IReadOnlyList<string> MetricNames()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!;
        var expressions = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!);
        // Label lists ("by (a, b)") name no metric; a metric is followed by a selector, a range or a closing parenthesis.
        return [.. expressions.SelectMany(e => Metric().Matches(Grouping().Replace(e, string.Empty)).Select(m => m.Groups[1].Value)).Distinct()];
    }

    [GeneratedRegex(@"\b(?:by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b([a-z][a-z0-9_]*)\s*[\[{)]")]
    private static partial Regex Metric();
}

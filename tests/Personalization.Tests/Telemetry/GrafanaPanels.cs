using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Personalization.Tests.Telemetry;

/// <summary>The metric names the Grafana dashboard in <c>deploy/</c> queries.</summary>
public static partial class GrafanaPanels
{
    public static string DashboardPath => Path.Combine(RepositoryRoot(), "deploy", "grafana", "dashboards", "personalization.json");

    public static IReadOnlyList<string> MetricNames()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!;
        var expressions = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!);
        // Label lists ("by (a, b)") name no metric; a metric is followed by a selector, a range or a closing parenthesis.
        return [.. expressions.SelectMany(e => Metric().Matches(Grouping().Replace(e, string.Empty)).Select(m => m.Groups[1].Value)).Distinct()];
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Orleans.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Orleans.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"\b(?:by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b([a-z][a-z0-9_]*)\s*[\[{)]")]
    private static partial Regex Metric();
}

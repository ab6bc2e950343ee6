using System.Diagnostics;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Telemetry;

/// <summary>
/// The compose file is valid for Debian's docker-compose (v1, which checks it without a Docker engine) with and without
/// the <c>monitoring</c> profile, and the monitoring services mount files that exist. Fails when docker-compose is missing.
/// </summary>
public sealed class ComposeTests
{
    [Theory]
    [InlineData]
    [InlineData("--profile", "monitoring")]
    public async Task The_compose_file_is_valid(params string[] profile)
    {
        var (exitCode, output) = await ComposeConfigAsync(profile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("prom/prometheus", output, StringComparison.Ordinal);
        Assert.Contains("grafana/grafana", output, StringComparison.Ordinal);
        foreach (var mounted in new[] { "deploy/prometheus/prometheus.yml", "deploy/grafana/provisioning", "deploy/grafana/dashboards" })
        {
            Assert.Contains(mounted, output, StringComparison.Ordinal);
            Assert.True(Path.Exists(Path.Combine(RepositoryFolder.Path, mounted)), mounted);
        }
    }

    private static async Task<(int ExitCode, string Output)> ComposeConfigAsync(string[] profile)
    {
        var start = new ProcessStartInfo("docker-compose")
        {
            WorkingDirectory = RepositoryFolder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-f", "docker-compose.yml" }.Concat(profile).Append("config"))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}

using System.Diagnostics;
using System.Net;
using Personalization.Bench.Hosting;
using Personalization.Silo.Hosting;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>The built gateway outside Development: closed unless keys are set, or an open API is asked for on purpose.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Without_keys_the_gateway_refuses_to_start_with_one_clear_line_and_a_failing_exit_code()
    {
        using var data = new TempDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Gateway.dll"), "--urls", $"http://127.0.0.1:{FreePort.Pick()}", "--Standalone:DataPath", data.Path })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, process.ExitCode);
        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Refusing to start: no API key is configured", line);
        Assert.Contains("Auth:AllowAnonymous=true", line);
    }

    [Fact]
    public async Task With_AllowAnonymous_it_starts_and_serves_without_a_key()
    {
        using var data = new TempDirectory();
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        await using var gateway = await HostProcess.StartAsync(
            "Gateway.dll", ["--urls", address.ToString(), "--Standalone:DataPath", data.Path],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Auth__AllowAnonymous"] = "true" }, address);
        using var client = new HttpClient { BaseAddress = address };

        using var response = await client.GetAsync("/v1/popular");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

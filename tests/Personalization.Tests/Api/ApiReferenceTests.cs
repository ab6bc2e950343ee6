using System.Collections.Concurrent;
using Microsoft.Playwright;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>The API reference at <c>/docs</c> in a real browser, with nothing but the gateway to reach.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ApiReferenceTests(GatewayFactory gateway)
{
    [Fact]
    public async Task The_reference_shows_the_operations_with_no_request_leaving_the_gateway()
    {
        var client = gateway.Client(null);
        var document = await client.GetOkAsync("/openapi/v1.json");
        // The first operation: the reference opens the first tag only.
        var summary = (string)document["paths"]!.AsObject().First().Value!.AsObject().First().Value!["summary"]!;
        var origin = client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.Path(), Headless = true });
        var page = await browser.NewPageAsync();
        var (foreign, local) = (new ConcurrentQueue<string>(), new ConcurrentQueue<string>());
        await page.RouteAsync("**/*", route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                local.Enqueue(url);
                return route.ContinueAsync();
            }

            foreign.Enqueue(url);
            return route.AbortAsync();
        });

        await page.GotoAsync($"{origin}/docs/");
        await page.GetByText(summary).First.WaitForAsync(new() { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.True(foreign.IsEmpty, $"The reference asked for: {string.Join(", ", foreign)}");
        Assert.Contains($"{origin}/openapi/v1.json", local);
    }
}

/// <summary>Debian's Chromium, which Playwright drives instead of a browser build of its own (none can be downloaded here).</summary>
internal static class Chromium
{
    public static string Path()
    {
        string[] candidates = [Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
        return candidates.FirstOrDefault(File.Exists) ?? throw new Xunit.Sdk.XunitException(
            "Chromium was not found (CHROMIUM_PATH, /usr/bin/chromium): install Debian's chromium (apt-get install chromium), as .ci/run does.");
    }
}

using System.Collections.Concurrent;
using Microsoft.Playwright;
using Personalization.Tests.Api;

namespace Personalization.Tests.Console;

/// <summary>
/// Debian's Chromium on the console of a real gateway, every request of the page watched: those to the gateway go on,
/// any other is refused and remembered. Screenshots go under the test results (TestResults/console).
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "TestResults", "console");

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ConcurrentQueue<string> _foreign = new();

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IPage page) => (_playwright, _browser, Page) = (playwright, browser, page);

    public IPage Page { get; }

    /// <summary>Requests of the page that went anywhere but the gateway (refused).</summary>
    public IReadOnlyCollection<string> Foreign => _foreign;

    public static async Task<ConsoleBrowser> OpenAsync(Uri gateway)
    {
        Assertions.SetDefaultExpectTimeout(60_000);
        var origin = gateway.GetLeftPart(UriPartial.Authority);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.Path(), Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true });
        page.SetDefaultTimeout(60_000);
        var console = new ConsoleBrowser(playwright, browser, page);
        await page.RouteAsync("**/*", route =>
        {
            if (route.Request.Url.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                return route.ContinueAsync();
            }

            console._foreign.Enqueue(route.Request.Url);
            return route.AbortAsync();
        });
        await page.GotoAsync($"{origin}/console");
        return console;
    }

    /// <summary>Types the key into the field labelled "API key" and presses Enter, as a person would.</summary>
    public async Task SignInAsync(string key, string role)
    {
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByLabel("API key").PressAsync("Enter");
        await Assertions.Expect(Page.GetByText($"Signed in with an API key of role {role}")).ToBeVisibleAsync();
    }

    public async Task OpenTabAsync(string name)
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 2 }).First).ToBeVisibleAsync();
    }

    /// <summary>The cells of a table's body rows (the header row has no cells, only column headers).</summary>
    public static async Task<string[][]> RowsAsync(ILocator table)
    {
        var rows = new List<string[]>();
        foreach (var row in await table.GetByRole(AriaRole.Row).AllAsync())
        {
            var cells = await row.GetByRole(AriaRole.Cell).AllInnerTextsAsync();
            if (cells.Count > 0)
            {
                rows.Add([.. cells]);
            }
        }

        return [.. rows];
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

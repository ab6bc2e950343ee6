using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Console;

/// <summary>The web console in a real browser against a real gateway, driven by roles and labels as a person would.</summary>
[Collection(ConsoleGatewayCollection.Name)]
public sealed class ConsoleTests(ConsoleGatewayFactory gateway)
{
    private readonly HttpClient _admin = gateway.Client();

    [Fact]
    public async Task A_read_key_sees_no_admin_pages()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(_admin.BaseAddress!);
        var page = browser.Page;

        await browser.SignInAsync(ApiKeys.Read, "read");

        foreach (var shown in new[] { "Playground", "Catalog", "Learner" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = shown })).ToBeVisibleAsync();
        }

        foreach (var hidden in new[] { "Oversight", "People", "Cluster" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = hidden })).ToHaveCountAsync(0);
        }

        await Assertions.Expect(page.GetByText("Sending events needs an ingest or admin key.")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("read-key");
        Assert.Empty(browser.Foreign);
    }

    [Fact]
    public async Task An_admin_acts_in_the_playground_and_sees_oversight_learners_people_and_the_cluster()
    {
        var key = Guid.NewGuid().ToString("N")[..6];
        var (horror, comedy, drama) = ($"Horror-{key}", $"Comedy-{key}", $"Drama-{key}");
        var (algebra, geometry) = ($"algebra-{key}", $"geometry-{key}");
        await _admin.PostItemsAsync([.. new[] { horror, comedy, drama }.SelectMany(category => Enumerable.Range(0, 6)
            .Select(i => (object)new { id = $"{category.ToLowerInvariant()}-{i}", categories = new[] { category } }))]);
        await _admin.PostItemsAsync(
            [.. Enumerable.Range(0, 3).SelectMany(i => new object[] { new { id = $"{algebra}-{i}", skills = new[] { algebra } }, new { id = $"{geometry}-{i}", skills = new[] { geometry } } })]);
        // Some popularity: fans of comedy, so that a newcomer's list starts with comedy.
        await _admin.PostEventsAsync([.. Enumerable.Range(0, 3).Select(f => (object)new { userId = $"fan-{key}-{f}", itemId = $"{comedy.ToLowerInvariant()}-{f}", type = "click" })]);
        // A learner who gets algebra wrong and geometry right.
        var learner = $"learner-{key}";
        await _admin.PostEventsAsync([.. Enumerable.Range(0, 3).SelectMany(i => new object[]
        {
            new { userId = learner, itemId = $"{algebra}-{i}", type = "answer", value = 0 },
            new { userId = learner, itemId = $"{geometry}-{i}", type = "answer", value = 1 },
        })]);

        await using var browser = await ConsoleBrowser.OpenAsync(_admin.BaseAddress!);
        var page = browser.Page;
        await browser.SignInAsync(ApiKeys.Admin, "admin");

        // Playground: a click on a horror item puts horror first, every reason true of its item.
        await browser.OpenTabAsync("Playground");
        var user = await page.GetByLabel("User id").InputValueAsync();
        var clicked = $"{horror.ToLowerInvariant()}-0";
        await page.GetByLabel("Item", new() { Exact = true }).SelectOptionAsync(clicked);
        await page.GetByLabel("Event type").SelectOptionAsync("click");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send event" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).GetByText($"Sent: {user} click {clicked}")).ToBeVisibleAsync();
        var list = page.GetByRole(AriaRole.Table, new() { Name = $"Next recommendations for {user}" });
        await Assertions.Expect(list.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync(horror);
        var rows = await ConsoleBrowser.RowsAsync(list);
        Assert.All(rows.Take(3), row => Assert.Equal(horror, row[2]));
        Assert.All(rows, row => AssertTrueReason(row, horror));

        // The popularity penalty, moved with the keyboard, changes the list (the items just served are held back).
        var before = rows.Select(row => row[1]).ToArray();
        await page.GetByLabel("Popularity penalty").FocusAsync();
        await page.Keyboard.PressAsync("End");
        await Assertions.Expect(page.GetByText("Listed with popularity penalty 1, explore 0, diversity 0.")).ToBeVisibleAsync();
        var after = await ConsoleBrowser.RowsAsync(list);
        Assert.NotEqual(before, after.Select(row => row[1]).ToArray());
        Assert.All(after, row => AssertTrueReason(row, horror));
        await browser.ScreenshotAsync("playground");

        // Catalog: the items of a category, and an item's details.
        await browser.OpenTabAsync("Catalog");
        await page.GetByLabel("Category").FillAsync(drama);
        await page.GetByLabel("Category").PressAsync("Enter");
        var items = page.GetByRole(AriaRole.Table, new() { Name = "Items, page 1" });
        await Assertions.Expect(items.GetByRole(AriaRole.Row)).ToHaveCountAsync(7);
        await page.GetByRole(AriaRole.Button, new() { Name = $"{drama.ToLowerInvariant()}-2" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = $"Similar to {drama.ToLowerInvariant()}-2" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("catalog");

        // Oversight: the Lorenz curve and one bar per category, from the real oversight answer.
        await browser.OpenTabAsync("Oversight");
        var lorenz = page.GetByRole(AriaRole.Img, new() { Name = "Lorenz curve of exposure" });
        await Assertions.Expect(lorenz).ToBeVisibleAsync();
        var report = await _admin.GetOkAsync("/v1/admin/oversight");
        var half = (double)report["lorenz"]![10]!;
        Assert.EndsWith($"half of the catalog gets {half * 100:F1}% of exposures", await lorenz.GetAttributeAsync("aria-label"));
        var categories = report["categoryExposure"]!.AsObject();
        Assert.Contains(horror, categories.Select(c => c.Key));
        var bars = page.GetByRole(AriaRole.Group, new() { Name = "Exposure by category" }).GetByRole(AriaRole.Img);
        await Assertions.Expect(bars).ToHaveCountAsync(categories.Count);
        await Assertions.Expect(bars.Filter(new() { HasText = horror })).ToHaveCountAsync(1);
        await page.GetByLabel("Users (comma-separated ids)").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "With controls" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("oversight");

        // Learner: the weakest skill after wrong answers.
        await browser.OpenTabAsync("Learner");
        await page.GetByLabel("Learner id").FillAsync(learner);
        await page.GetByLabel("Learner id").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Weakest skills" }).GetByRole(AriaRole.Listitem).First).ToHaveTextAsync(algebra);
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Mastery per skill" }).GetByRole(AriaRole.Img)).ToHaveCountAsync(2);
        await browser.ScreenshotAsync("learner");

        // People: export downloads the user's data as JSON; erase asks first, and then the user is unknown.
        await browser.OpenTabAsync("People");
        await page.GetByLabel("User id").FillAsync(user);
        await page.GetByLabel("User id").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = $"Profile of {user}" })).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export data" }).ClickAsync());
        Assert.Equal($"{user}.json", download.SuggestedFilename);
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync()))!;
        Assert.Equal(user, (string)exported["userId"]!);
        Assert.Contains(exported["interactions"]!.AsArray(), e => (string)e!["itemId"]! == clicked);
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase user" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm erasure" });
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        await browser.ScreenshotAsync("people");
        Assert.Equal(1, (long)(await _admin.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Nothing is held about {user}: unknown user.")).ToBeVisibleAsync();
        Assert.Equal(0, (long)(await _admin.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);

        // Cluster: the silo and every shard with its items.
        await browser.OpenTabAsync("Cluster");
        var silos = page.GetByRole(AriaRole.Table, new() { Name = "Silos" });
        await Assertions.Expect(silos.GetByRole(AriaRole.Cell, new() { Name = "Active", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Active items per shard" }).GetByRole(AriaRole.Img)).ToHaveCountAsync(4);
        await browser.ScreenshotAsync("cluster");

        Assert.Empty(browser.Foreign);
    }

    /// <summary>A reason that names an interest names one of the item's categories; "close to" only what was engaged with.</summary>
    private static void AssertTrueReason(string[] row, string engaged)
    {
        var (item, categories, reason) = (row[1], row[2], row[4]);
        const string interest = "matches your interest in ";
        if (reason.StartsWith(interest, StringComparison.Ordinal))
        {
            Assert.Contains(reason[interest.Length..], categories.Split(", "));
        }
        else if (reason == "close to what you engaged with recently")
        {
            Assert.True(categories.Split(", ").Contains(engaged), $"{item} ({categories}) reads '{reason}'");
        }
    }
}

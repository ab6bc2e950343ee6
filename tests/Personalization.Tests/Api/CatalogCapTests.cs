using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// <c>Catalog:MaxItems</c> over HTTP on a gateway whose catalog takes a few items: below the cap an unknown item is
/// created by its first event; at the cap a request that would create one is a 400 naming it, and nothing of it is
/// applied, while known items still take events and updates.
/// </summary>
public sealed class CatalogCapEventTests(CappedCatalogGatewayFactory gateway) : IClassFixture<CappedCatalogGatewayFactory>
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task Below_the_cap_an_event_creates_its_item_and_at_the_cap_an_event_on_an_unknown_item_is_a_400_naming_it()
    {
        var (created, refused, problem) = await FillAsync(_client, id => new[] { new { userId = Catalog.NewId("cap-user"), itemId = id, type = "click" } }, "/v1/events");

        foreach (var item in created)
        {
            await _client.GetOkAsync($"/v1/items/{item}");
        }

        Assert.Contains(refused, (string)problem["errors"]!["[0].itemId"]![0]!);
        Assert.Contains("Catalog:MaxItems", (string)problem["errors"]!["[0].itemId"]![0]!);

        var user = Catalog.NewId("cap-user");
        using var mixed = await _client.PostAsJsonAsync("/v1/events", new[]
        {
            new { userId = user, itemId = created[0], type = "click" },
            new { userId = user, itemId = refused, type = "click" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Equal(["[1].itemId"], (await mixed.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, (long)(await _client.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
        await AssertUnknownAsync(_client, refused);

        var accepted = await _client.PostEventsAsync(new { userId = user, itemId = created[0], type = "click" });
        Assert.Equal(1, (int)accepted["accepted"]!);
    }

    /// <summary>
    /// Sends a request creating one new item at a time until one is refused: within <see cref="CappedCatalogGatewayFactory.MaxItems"/>
    /// + 1 requests, since no more items than that can be created. Returns the items created, the one refused and its answer.
    /// </summary>
    internal static async Task<(List<string> Created, string Refused, JsonObject Problem)> FillAsync(HttpClient client, Func<string, object> body, string path)
    {
        var created = new List<string>();
        for (var i = 0; i <= CappedCatalogGatewayFactory.MaxItems; i++)
        {
            var item = Catalog.NewId("cap-item");
            using var response = await client.PostAsJsonAsync(path, body(item));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.NotEmpty(created);
                return (created, item, await response.ProblemAsync());
            }

            created.Add(item);
        }

        Assert.Fail($"{created.Count} items created in a catalog of at most {CappedCatalogGatewayFactory.MaxItems}.");
        return default;
    }

    internal static async Task AssertUnknownAsync(HttpClient client, string itemId)
    {
        using var item = await client.GetAsync($"/v1/items/{itemId}");
        Assert.Equal(HttpStatusCode.NotFound, item.StatusCode);
    }
}

public sealed class CatalogCapUpsertTests(CappedCatalogGatewayFactory gateway) : IClassFixture<CappedCatalogGatewayFactory>
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task At_the_cap_an_upsert_or_import_creating_an_item_is_a_400_naming_it_and_known_items_still_update()
    {
        var (created, refused, problem) = await CatalogCapEventTests.FillAsync(_client, id => new[] { new { id } }, "/v1/items");
        Assert.Contains(refused, (string)problem["errors"]!["[0].id"]![0]!);
        var known = created[0];

        using var batch = await _client.PostAsJsonAsync("/v1/items", new object[] { new { id = known, categories = new[] { "relabelled" } }, new { id = refused } });
        using var import = await _client.ImportAsync($"{{\"id\":\"{known}\",\"categories\":[\"relabelled\"]}}\n{{\"id\":\"{refused}\"}}\n");

        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.Equal(["[1].id"], (await batch.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Equal(["[1].id"], (await import.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty((await _client.GetOkAsync($"/v1/items/{known}"))["categories"]!.AsArray());
        await CatalogCapEventTests.AssertUnknownAsync(_client, refused);

        using var knownImport = await _client.ImportAsync($"{{\"id\":\"{known}\",\"categories\":[\"imported\"]}}\n");
        Assert.Equal(HttpStatusCode.OK, knownImport.StatusCode);
        Assert.Equal("imported", (string)(await _client.GetOkAsync($"/v1/items/{known}"))["categories"]![0]!);
        await _client.PostItemsAsync(new { id = known, categories = new[] { "relabelled" } });
        Assert.Equal("relabelled", (string)(await _client.GetOkAsync($"/v1/items/{known}"))["categories"]![0]!);
    }
}

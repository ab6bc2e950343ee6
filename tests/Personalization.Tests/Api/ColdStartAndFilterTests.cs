using System.Net;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

public abstract class ColdStartAndFilterTests(IGatewayHost gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task A_user_without_events_gets_the_popular_items()
    {
        var (catalog, byPopularity) = await PopularCatalogAsync();
        var category = catalog.Categories[0];
        var newcomer = Catalog.NewId("newcomer");

        var forNewcomer = await _client.RecommendAsync(newcomer, $"category={category}&count=5");
        var popular = ApiClient.ItemIds(await _client.GetOkAsync($"/v1/popular?category={category}&count=5"));

        Assert.Equal(byPopularity.Take(3), forNewcomer.Take(3));
        Assert.Equal(popular, forNewcomer);
        // Five items were clicked: the rest of a list of ten is there to fill it, and says so (not "popular").
        var reasons = (await _client.GetOkAsync($"/v1/users/{newcomer}/recommendations?category={category}"))["items"]!.AsArray()
            .Select(item => (string)item!["reason"]!).ToArray();
        Assert.All(reasons[..5], reason => Assert.Equal($"popular in {category}", reason));
        Assert.All(reasons[5..], reason => Assert.Equal($"to fill the list: in {category}, nothing closer to go on", reason));
    }

    [Fact]
    public async Task Category_and_exclude_hold()
    {
        var (catalog, byPopularity) = await PopularCatalogAsync();
        var user = Catalog.NewId("user");
        await _client.PostEventsAsync(new { userId = user, itemId = catalog.ItemsIn(1)[0], type = "click" });

        var inCategory = await _client.RecommendAsync(user, $"category={catalog.Categories[0]}&count=20&exclude={byPopularity[0]},{byPopularity[1]}");

        Assert.NotEmpty(inCategory);
        Assert.All(inCategory, item => Assert.Contains(item, catalog.ItemsIn(0)));
        Assert.DoesNotContain(byPopularity[0], inCategory);
        Assert.DoesNotContain(byPopularity[1], inCategory);
    }

    [Fact]
    public async Task A_deleted_item_never_appears_again_until_upserted_active()
    {
        var (catalog, byPopularity) = await PopularCatalogAsync();
        var top = byPopularity[0];
        var category = catalog.Categories[0];

        using (var deleted = await _client.DeleteAsync($"/v1/items/{top}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.DoesNotContain(top, ApiClient.ItemIds(await _client.GetOkAsync($"/v1/popular?category={category}&count=100")));
        Assert.DoesNotContain(top, await _client.RecommendAsync(Catalog.NewId("user"), $"category={category}&count=100"));
        Assert.DoesNotContain(top, ApiClient.ItemIds(await _client.GetOkAsync($"/v1/items/{byPopularity[1]}/similar?count=100")));
        Assert.False((bool)(await _client.GetOkAsync($"/v1/items/{top}"))["active"]!);

        await _client.PostItemsAsync(new { id = top, categories = new[] { category } });
        Assert.Contains(top, ApiClient.ItemIds(await _client.GetOkAsync($"/v1/popular?category={category}&count=100")));
    }

    [Fact]
    public async Task An_unknown_item_is_404_and_an_event_creates_it()
    {
        var itemId = Catalog.NewId("fresh");
        using (var missing = await _client.GetAsync($"/v1/items/{itemId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            await missing.ProblemAsync();
        }

        await _client.PostEventsAsync(new { userId = Catalog.NewId("user"), itemId, type = "view" });

        var item = await _client.GetOkAsync($"/v1/items/{itemId}");
        Assert.True((bool)item["active"]!);
        Assert.Equal(1, (long)item["interactionCount"]!);
    }

    [Fact]
    public async Task The_exposure_controls_spread_what_is_served_and_say_why()
    {
        var (catalog, _) = await PopularCatalogAsync();
        var category = catalog.Categories[0];
        var query = $"category={category}&count=3";

        // Accuracy first: the same newcomer gets the same answer every time.
        var plain = await _client.RecommendAsync(Catalog.NewId("newcomer"), query);
        Assert.Equal(plain, await _client.RecommendAsync(Catalog.NewId("newcomer"), query));

        // With the penalty, what was served a lot is pushed down: lists in a row reach beyond the top three.
        var served = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            served.UnionWith(await _client.RecommendAsync(Catalog.NewId("newcomer"), query + "&popularityPenalty=1"));
        }

        Assert.True(served.Count > 3, $"served {served.Count} distinct items");
        Assert.All(served, item => Assert.Contains(item, catalog.ItemsIn(0)));

        // Every slot explored: under-exposed items from deeper in the pool, each labelled as such.
        var explored = (await _client.GetOkAsync($"/v1/users/{Catalog.NewId("newcomer")}/recommendations?{query}&explore=1"))["items"]!.AsArray();
        Assert.Equal(3, explored.Count);
        Assert.All(explored, item => Assert.StartsWith("exploring", (string)item!["reason"]!));
        Assert.All(explored, item => Assert.DoesNotContain((string)item!["itemId"]!, plain));
    }

    /// <summary>A catalog where item i of category 0 was clicked by (6 - i) distinct users, for i below 5.</summary>
    private async Task<(Catalog Catalog, string[] ByPopularity)> PopularCatalogAsync()
    {
        var catalog = await Catalog.CreateAsync(_client, categories: 2, perCategory: 12);
        var items = catalog.ItemsIn(0);
        var events = Enumerable.Range(0, 5)
            .SelectMany(i => Enumerable.Range(0, 6 - i).Select(u => (object)new { userId = $"fan{u}-{items[i]}", itemId = items[i], type = "click" }))
            .ToArray();
        await _client.PostEventsAsync(events);
        return (catalog, items[..5]);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneColdStartAndFilterTests(GatewayFactory gateway) : ColdStartAndFilterTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterColdStartAndFilterTests(PostgresGatewayCluster cluster) : ColdStartAndFilterTests(cluster);

using System.Net;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary><c>GET /v1/items</c>: the catalog a page at a time, by category and by a part of the id.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CatalogListingTests(GatewayFactory gateway)
{
    [Fact]
    public async Task A_category_is_paged_through_in_id_order_with_every_item_once()
    {
        var catalog = await Catalog.CreateAsync(gateway.Client(), categories: 2, perCategory: 7);
        var reader = gateway.Client(ApiKeys.Read);
        var category = catalog.Categories[1];

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await reader.GetOkAsync($"/v1/items?category={category}&count=3" + (after is null ? "" : $"&after={after}"));
            seen.AddRange(page["items"]!.AsArray().Select(item => (string)item!["id"]!));
            Assert.All(page["items"]!.AsArray(), item => Assert.Equal(category, (string)item!["categories"]![0]!));
            after = (string?)page["next"];
            pages++;
        }
        while (after is not null);

        Assert.Equal(catalog.ItemsIn(1).Order(StringComparer.Ordinal), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Search_finds_ids_containing_the_text_ignoring_case()
    {
        var catalog = await Catalog.CreateAsync(gateway.Client(), categories: 1, perCategory: 12);
        var wanted = catalog.ItemsIn(0)[11];

        var page = await gateway.Client(ApiKeys.Read).GetOkAsync($"/v1/items?search={wanted.ToUpperInvariant()}");

        Assert.Equal([wanted], page["items"]!.AsArray().Select(item => (string)item!["id"]!));
        Assert.Null((string?)page["next"]);
    }

    [Theory]
    [InlineData("count=0", "count")]
    [InlineData("count=101", "count")]
    [InlineData("after=a%20b", "after")]
    [InlineData("category=", "category")]
    [InlineData("search=x&search=y", "search")]
    public async Task Bad_parameters_are_a_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await gateway.Client(ApiKeys.Read).GetAsync($"/v1/items?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey(parameter));
    }

    [Fact]
    public async Task Listing_needs_a_key()
    {
        using var response = await gateway.Client(null).GetAsync("/v1/items");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

using System.Net;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

[Collection(OversightGatewayCollection.Name)]
public sealed class OversightTests(OversightGatewayFactory gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task The_figures_describe_what_was_served_on_a_small_catalog()
    {
        // Catalog: a, b (Horror), c, d (Comedy). Three people clicked a, one clicked b: a is the most popular.
        await _client.PostItemsAsync(
            new { id = "a", categories = new[] { "Horror" } }, new { id = "b", categories = new[] { "Horror" } },
            new { id = "c", categories = new[] { "Comedy" } }, new { id = "d", categories = new[] { "Comedy" } });
        await _client.PostEventsAsync(
            new { userId = "fan1", itemId = "a", type = "click" }, new { userId = "fan2", itemId = "a", type = "click" },
            new { userId = "fan3", itemId = "a", type = "click" }, new { userId = "fan4", itemId = "b", type = "click" });

        // Two newcomers are served the two most popular items each: a and b, twice.
        Assert.Equal(["a", "b"], await _client.RecommendAsync("newcomer1", "count=2"));
        Assert.Equal(["a", "b"], await _client.RecommendAsync("newcomer2", "count=2"));

        var report = await _client.GetOkAsync("/v1/admin/oversight");

        Assert.Equal(2, (long)report["window"]!["servedLists"]!);
        Assert.Equal(4, (long)report["window"]!["exposures"]!);
        Assert.Equal(0.5, (double)report["coverage"]!, 10);
        // Exposures 0, 0, 2, 2: mean absolute difference over all ordered pairs 16 / 16 = 1, over twice the mean 2.
        Assert.Equal(0.5, (double)report["giniExposure"]!, 10);
        // Mid-rank popularity percentiles among (0, 0, b, a): a 0.875, b 0.625; served equally: 0.75.
        Assert.Equal(0.75, (double)report["recommendedPopularityPercentile"]!, 10);
        // Interactions weigh by popularity, a squashed decayed count: 3 / (3 + 10) for a, 1 / (1 + 10) for b.
        var (wa, wb) = (3.0 / 13, 1.0 / 11);
        var interacted = (wa * 0.875 + wb * 0.625) / (wa + wb);
        Assert.Equal(interacted, (double)report["interactedPopularityPercentile"]!, 3);
        Assert.Equal(0.75 - interacted, (double)report["popularityBias"]!, 3);
        Assert.Equal(1.0, (double)report["categoryExposure"]!["Horror"]!["exposureShare"]!, 10);
        Assert.Equal(0.5, (double)report["categoryExposure"]!["Horror"]!["catalogShare"]!, 10);
        Assert.Equal(0.0, (double)report["categoryExposure"]!["Comedy"]!["exposureShare"]!, 10);
        // Lorenz curve at every 5%: the least exposed half (c, d) holds nothing, three quarters hold one of the two halves.
        var lorenz = report["lorenz"]!.AsArray().Select(point => (double)point!).ToArray();
        Assert.Equal(21, lorenz.Length);
        Assert.Equal([0, 0, 0.5, 1], [lorenz[0], lorenz[10], lorenz[15], lorenz[20]]);
    }

    [Fact]
    public async Task Oversight_needs_the_admin_role()
    {
        using var response = await gateway.Client(ApiKeys.Ingest).GetAsync("/v1/admin/oversight");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

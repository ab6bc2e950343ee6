using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>The product promise over real HTTP: the next answer reflects the last events.</summary>
public abstract class RealTimeTests(IGatewayHost gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task Clicks_in_one_category_shape_the_very_next_top_10_and_a_new_session_follows_its_own_clicks()
    {
        var catalog = await Catalog.CreateAsync(_client, categories: 6, perCategory: 50);
        var user = Catalog.NewId("user");
        var horror = catalog.ItemsIn(0);
        var clicked = horror.Take(5).ToArray();
        await _client.PostEventsAsync([.. clicked.Select(item => new { userId = user, itemId = item, type = "click", sessionId = "s1" })]);

        var first = await _client.RecommendAsync(user);

        Assert.Equal(10, first.Length);
        Assert.True(first.Count(horror.Contains) >= 7, $"only {first.Count(horror.Contains)} of 10 in the clicked category");
        Assert.Empty(first.Intersect(clicked));

        var comedy = catalog.ItemsIn(1);
        await _client.PostEventsAsync([.. comedy.Take(5).Select(item => new { userId = user, itemId = item, type = "click", sessionId = "s2" })]);

        var second = await _client.RecommendAsync(user, "sessionId=s2");
        Assert.Contains(second, comedy.Contains);
        Assert.Empty(second.Intersect(clicked.Concat(comedy.Take(5))));
    }

    [Fact]
    public async Task The_same_request_without_new_events_returns_the_same_list()
    {
        var catalog = await Catalog.CreateAsync(_client, categories: 3, perCategory: 20);
        var user = Catalog.NewId("user");
        await _client.PostEventsAsync(new { userId = user, itemId = catalog.ItemsIn(2)[0], type = "like" });

        Assert.Equal(await _client.RecommendAsync(user), await _client.RecommendAsync(user));
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneRealTimeTests(GatewayFactory gateway) : RealTimeTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterRealTimeTests(PostgresGatewayCluster cluster) : RealTimeTests(cluster);

using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// Catalog writes are read-your-writes on the read path: once an upsert or a delete is answered, the very next list
/// (a user's, popular, similar) reflects it, whether the gateway scans its process's shards in place or calls them.
/// </summary>
public abstract class ReadYourWritesTests(IGatewayHost gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task An_upserted_item_is_in_the_next_list_and_a_deleted_one_is_not()
    {
        var category = Catalog.NewId("ryw-category");
        string[] items = [Catalog.NewId("ryw-a"), Catalog.NewId("ryw-b"), Catalog.NewId("ryw-c")];
        await _client.PostItemsAsync([.. items.Select(id => new { id, categories = new[] { category } })]);

        var user = Catalog.NewId("ryw-user");
        Assert.Equal(items.Order(), (await _client.RecommendAsync(user, $"category={category}")).Order());
        Assert.Equal(items.Order(), ApiClient.ItemIds(await _client.GetOkAsync($"/v1/popular?category={category}")).Order());
        Assert.Contains(items[1], ApiClient.ItemIds(await _client.GetOkAsync($"/v1/items/{items[0]}/similar?count=100")));

        using (var deleted = await _client.DeleteAsync($"/v1/items/{items[1]}"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        Assert.Equal([items[0], items[2]], (await _client.RecommendAsync(user, $"category={category}")).Order());
        Assert.DoesNotContain(items[1], ApiClient.ItemIds(await _client.GetOkAsync($"/v1/popular?category={category}")));
        Assert.DoesNotContain(items[1], ApiClient.ItemIds(await _client.GetOkAsync($"/v1/items/{items[0]}/similar?count=100")));
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneReadYourWritesTests(GatewayFactory gateway) : ReadYourWritesTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterReadYourWritesTests(PostgresGatewayCluster cluster) : ReadYourWritesTests(cluster);

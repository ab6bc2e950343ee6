using Microsoft.Extensions.DependencyInjection;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Services;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Services;

/// <summary>The catalog client routes every item to the shard its hash names (<see cref="IdHash.Bucket"/>), and only there.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class CatalogClientTests(SqliteClusterFixture fixture) : IDisposable
{
    private const int Shards = 4;
    private readonly ServiceProvider _services = ClientServices.For(fixture.Grains);

    private CatalogClient Catalog => _services.GetRequiredService<CatalogClient>();

    [Fact]
    public async Task An_upsert_stores_every_item_in_the_shard_its_hash_names_and_in_no_other()
    {
        var key = Guid.NewGuid().ToString("N");
        string[] ids = [.. Enumerable.Range(0, 24).Select(i => $"routed-{key}-{i}")];

        await Catalog.UpsertAsync([.. ids.Select(Item)]);

        foreach (var id in ids)
        {
            for (var shard = 0; shard < Shards; shard++)
            {
                var stored = await fixture.Grains.GetGrain<ICatalogShardGrain>(shard).GetItemAsync(id);
                Assert.Equal(shard == IdHash.Bucket(id, Shards), stored is not null);
            }
        }
    }

    [Fact]
    public async Task Reads_and_deletes_find_an_item_in_the_shard_its_hash_names()
    {
        var id = $"placed-{Guid.NewGuid():N}";
        await fixture.Grains.GetGrain<ICatalogShardGrain>(IdHash.Bucket(id, Shards)).UpsertItemsAsync([Item(id)]);

        Assert.Equal(id, (await Catalog.GetAsync(id))?.Id);
        Assert.NotNull(await Catalog.GetVectorAsync(id));
        Assert.Equal([id], (await Catalog.GetItemsAsync([id, id])).Select(i => i.Id));
        Assert.True(await Catalog.DeactivateAsync(id));
        Assert.False((await Catalog.GetAsync(id))!.Active);
    }

    [Fact]
    public async Task A_fan_out_hands_each_exclusion_to_the_shard_that_owns_the_item()
    {
        var category = $"fan-out-{Guid.NewGuid():N}";
        string[] ids = [.. Enumerable.Range(0, 8).Select(i => $"{category}-{i}")];
        await Catalog.UpsertAsync([.. ids.Select(id => Item(id) with { Categories = [category] })]);
        var query = new ShardQuery([], 1, category, [], ids.Length, DateTimeOffset.UtcNow, false, []);

        var all = await Catalog.RecommendAsync(query);
        var rest = await Catalog.RecommendAsync(query with { Exclude = ids[..5] });

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(c => c.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal(ids[5..].Order(StringComparer.Ordinal), rest.Select(c => c.ItemId).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _services.Dispose();

    private static ItemUpsert Item(string id) => new(id, [], [], true, [], null);
}

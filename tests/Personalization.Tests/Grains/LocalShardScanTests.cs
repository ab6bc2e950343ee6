using Microsoft.Extensions.DependencyInjection;
using Personalization.Grains.Catalog;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>
/// The read path of a gateway in the silo's process: an active shard is scanned in place, with its grain's answer,
/// and every change the grain has answered is seen by the next scan.
/// </summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class LocalShardScanTests(SqliteClusterFixture fixture)
{
    // Shard keys of their own: the gateway's shards are 0..ShardCount-1.
    private const int ReadYourWritesShard = 9_101;
    private const int GrowingShard = 9_102;

    private static readonly int Dimension = new LearningOptions().Dimension;

    private ILocalCatalogShards LocalShards => fixture.SiloServices.GetRequiredService<ILocalCatalogShards>();

    [Fact]
    public async Task An_active_shard_is_scanned_in_place_and_sees_an_upsert_a_nudge_and_a_deletion_once_the_grain_answered()
    {
        var shard = fixture.Grains.GetGrain<ICatalogShardGrain>(ReadYourWritesShard);
        await shard.UpsertItemsAsync([.. Enumerable.Range(0, 50).Select(i => Item($"local-{i}", $"c{i % 5}"))]);
        var local = LocalShards.Find(ReadYourWritesShard);
        Assert.NotNull(local);

        var query = Query(Vector(0.3f), category: null, includeVectors: false);
        Assert.Equal(Answer(await shard.RecommendAsync(query)), Answer(await local.RecommendAsync(query)));

        await shard.UpsertItemsAsync([Item("local-fresh", "only-fresh")]);
        Assert.Equal(["local-fresh"], Answer(await local.RecommendAsync(Query(Vector(0.3f), "only-fresh", includeVectors: false))).Select(a => a.Id));

        await shard.ApplyInteractionsAsync([new InteractionBatch(Vector(0.5f), [new ItemSignal("local-fresh", 1f, DateTimeOffset.UtcNow, false)], [])], []);
        var nudged = await shard.GetVectorAsync("local-fresh");
        var scanned = await local.RecommendAsync(Query(Vector(0.3f), "only-fresh", includeVectors: true));
        Assert.Equal(nudged, Assert.Single(scanned).Vector);

        Assert.True(await shard.DeactivateItemAsync("local-fresh"));
        Assert.Empty(await local.RecommendAsync(Query(Vector(0.3f), "only-fresh", includeVectors: false)));
    }

    [Fact]
    public async Task Scans_in_place_while_the_grain_adds_pages_of_items_never_fail_and_end_up_seeing_every_item()
    {
        var shard = fixture.Grains.GetGrain<ICatalogShardGrain>(GrowingShard);
        const int first = 10;
        await shard.UpsertItemsAsync([.. Enumerable.Range(0, first).Select(i => Item($"growing-{i}", "g"))]);
        var local = LocalShards.Find(GrowingShard)!;
        const int batches = 10;
        var adding = Task.Run(async () =>
        {
            for (var batch = 0; batch < batches; batch++)
            {
                await shard.UpsertItemsAsync([.. Enumerable.Range(first + batch * 1000, 1000).Select(i => Item($"growing-{i}", "g"))]);
            }
        });

        // The shard grows past a page (ItemPage.Rows) and re-indexes its ids meanwhile: every scan still answers whole.
        var scans = 0;
        while (!adding.IsCompleted)
        {
            Assert.Equal(first, (await local.RecommendAsync(Query(Vector(0.2f), "g", includeVectors: false))).Length);
            scans++;
        }

        await adding;
        Assert.True(scans > 0);
        const int all = first + batches * 1000;
        var everything = await local.RecommendAsync(Query([], "g", includeVectors: false) with { Count = all + 1 });
        Assert.Equal(all, everything.Length);
        Assert.True(all > ItemPage.Rows);
    }

    private static ItemUpsert Item(string id, string category) => new(id, [category], [], true, [], null);

    private static float[] Vector(float value) => [.. Enumerable.Repeat(value, Dimension)];

    private static ShardQuery Query(float[] vector, string? category, bool includeVectors) =>
        new(vector, 0, category, [], 10, DateTimeOffset.UnixEpoch, includeVectors, []);

    private static (string Id, float Score)[] Answer(ScoredItem[] items) => [.. items.Select(i => (i.ItemId, i.Score))];
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Personalization.Grains.Catalog;
using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>A catalog shard's items stored a page per row of the real SQLite store: read back whole, written a changed page at a time.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class CatalogPagesTests(SqliteClusterFixture fixture)
{
    // Shard keys of their own: the gateway's shards are 0..ShardCount-1.
    private const long ManyPagesShard = 9_001;
    private const long WriteBehindShard = 9_003;
    private const long PairPartsShard = 9_004;
    private const int Items = 2 * ItemPage.Rows + 100;

    private IGrainStorage Storage => fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>("Default");

    [Fact]
    public async Task A_shard_of_several_pages_reads_back_every_item_and_writes_only_the_page_a_change_touched()
    {
        var shard = fixture.Grains.GetGrain<ICatalogShardGrain>(ManyPagesShard);
        string Id(int i) => $"paged-{i}";
        await shard.UpsertItemsAsync([.. Enumerable.Range(0, Items).Select(i => new ItemUpsert(Id(i), [$"c{i % 7}"], [$"t{i % 11}"], true, [], null))]);
        int[] probes = [0, ItemPage.Rows - 1, ItemPage.Rows, Items - 1];
        var vectors = await Task.WhenAll(probes.Select(i => shard.GetVectorAsync(Id(i))));
        var versions = await PageVersionsAsync(shard, pages: 3);

        Assert.True(await shard.DeactivateItemAsync(Id(ItemPage.Rows + 5)));
        var after = await PageVersionsAsync(shard, pages: 3);
        Assert.Equal([versions[0], Next(versions[1]), versions[2]], after);

        await ReactivateAsync(shard);
        Assert.Equal(vectors, await Task.WhenAll(probes.Select(i => shard.GetVectorAsync(Id(i)))));
        var details = await shard.GetItemsAsync([Id(ItemPage.Rows + 4), Id(ItemPage.Rows + 5), Id(Items - 1)]);
        Assert.Equal([true, false, true], details.Select(d => d.Active));
        Assert.Equal([$"c{(Items - 1) % 7}"], details[2].Categories);
        Assert.Equal([$"t{(Items - 1) % 11}"], details[2].Tags);
        Assert.False(await PageExistsAsync(shard, 3));

        // A page read back is written again only when it changes.
        var reread = await PageVersionsAsync(shard, pages: 3);
        Assert.True(await shard.DeactivateItemAsync(Id(5)));
        Assert.Equal([Next(reread[0]), reread[1], reread[2]], await PageVersionsAsync(shard, pages: 3));
    }

    [Fact]
    public async Task A_page_changed_by_learning_is_stored_by_the_write_behind_alone()
    {
        var shard = fixture.Grains.GetGrain<ICatalogShardGrain>(WriteBehindShard);
        await shard.UpsertItemsAsync([new ItemUpsert("nudged", ["c"], [], true, [], null)]);
        var before = (await PageVersionsAsync(shard, pages: 1))[0];
        var d = new Personalization.Model.LearningOptions().Dimension;

        await shard.ApplyInteractionsAsync([new InteractionBatch([.. Enumerable.Repeat(0.5f, d)], [new ItemSignal("nudged", 1f, DateTimeOffset.UtcNow, false)], [])], []);
        var nudged = await shard.GetVectorAsync("nudged");

        // No call waits for it: within a few ticks of the write-behind the page is stored with the nudged vector.
        var stored = new GrainState<ItemPage>();
        for (var attempt = 0; attempt < 60 && (stored.ETag ?? before) == before; attempt++)
        {
            await Task.Delay(250);
            await Storage.ReadStateAsync("catalog-page-0", shard.GetGrainId(), stored);
        }

        Assert.Equal(Next(before), stored.ETag);
        Assert.Equal(nudged, PackedVectors.Unpack(stored.State!.VectorBytes!)[..d]);
        Assert.Equal(1, stored.State.InteractionCounts[0]);
    }

    [Fact]
    public async Task Co_occurrence_rows_are_stored_in_parts_and_a_change_rewrites_only_the_parts_it_touched()
    {
        var shard = fixture.Grains.GetGrain<ICatalogShardGrain>(PairPartsShard);
        string[] owned = [.. Enumerable.Range(0, 10).Select(i => $"paired-{i}")];
        await shard.UpsertItemsAsync([.. owned.Select(id => new ItemUpsert(id, ["c"], [], true, [], null))]);
        // A user engaged with paired-0 after the nine others: each of their rows counts paired-0, and its row counts them.
        await shard.ApplyInteractionsAsync([], [new Engagement(owned[0], owned[1..], 9)]);
        await ReactivateAsync(shard);

        var rows = await StoredRowsAsync(shard);
        Assert.Equal(owned.Order(), rows.Keys.Order());
        Assert.Equal(9, rows[owned[0]].Count);
        Assert.All(owned[1..], id => Assert.Equal(1, rows[id].Count));
        var before = await PartVersionsAsync(shard);

        // Another user engaged with paired-2 after paired-1: only those two rows change, so only their parts are written,
        // and each holds its earlier count too (the rows were read back from their parts).
        await shard.ApplyInteractionsAsync([], [new Engagement(owned[2], [owned[1]], 1)]);
        await ReactivateAsync(shard);

        var after = await PartVersionsAsync(shard);
        int[] touched = [PairsPart.Of(owned[1]), PairsPart.Of(owned[2])];
        for (var part = 0; part < PairsPart.Parts; part++)
        {
            Assert.Equal(touched.Contains(part) ? Next(before[part]!) : before[part], after[part]);
        }

        var reread = await StoredRowsAsync(shard);
        Assert.Equal(owned.Order(), reread.Keys.Order());
        Assert.Equal(2, reread[owned[1]].Count);
        Assert.Equal(2, reread[owned[2]].Count);
        Assert.Equal(rows[owned[0]].Entries.ToArray(), reread[owned[0]].Entries.ToArray());
    }

    private static string Next(string version) => (long.Parse(version, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string[]> PageVersionsAsync(ICatalogShardGrain shard, int pages)
    {
        var versions = new string[pages];
        for (var page = 0; page < pages; page++)
        {
            var state = new GrainState<ItemPage>();
            await Storage.ReadStateAsync($"catalog-page-{page}", shard.GetGrainId(), state);
            Assert.True(state.RecordExists, $"page {page} is stored");
            versions[page] = state.ETag!;
        }

        return versions;
    }

    /// <summary>Every co-occurrence row of the shard's stored parts.</summary>
    private async Task<Dictionary<string, Personalization.Model.PairRow>> StoredRowsAsync(ICatalogShardGrain shard)
    {
        var rows = new Dictionary<string, Personalization.Model.PairRow>();
        for (var part = 0; part < PairsPart.Parts; part++)
        {
            var state = new GrainState<PairsPart>();
            await Storage.ReadStateAsync(PairsPart.StateName(part), shard.GetGrainId(), state);
            foreach (var (itemId, row) in state.State?.Rows ?? [])
            {
                Assert.Equal(part, PairsPart.Of(itemId));
                rows.Add(itemId, row);
            }
        }

        return rows;
    }

    /// <summary>The stored version of each co-occurrence part (null: never written).</summary>
    private async Task<string?[]> PartVersionsAsync(ICatalogShardGrain shard)
    {
        var versions = new string?[PairsPart.Parts];
        for (var part = 0; part < PairsPart.Parts; part++)
        {
            var state = new GrainState<PairsPart>();
            await Storage.ReadStateAsync(PairsPart.StateName(part), shard.GetGrainId(), state);
            versions[part] = state.RecordExists ? state.ETag : null;
        }

        return versions;
    }

    private async Task<bool> PageExistsAsync(ICatalogShardGrain shard, int page)
    {
        var state = new GrainState<ItemPage>();
        await Storage.ReadStateAsync($"catalog-page-{page}", shard.GetGrainId(), state);
        return state.RecordExists;
    }

    /// <summary>Deactivates the shard and waits until a new activation answers (its state read from the store).</summary>
    private async Task ReactivateAsync(ICatalogShardGrain shard)
    {
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        await shard.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        for (var attempt = 0; attempt < 100 && (await management.GetActiveGrains(shard.GetGrainId().Type)).Contains(shard.GetGrainId()); attempt++)
        {
            await Task.Delay(50);
        }

        Assert.DoesNotContain(shard.GetGrainId(), await management.GetActiveGrains(shard.GetGrainId().Type));
    }
}

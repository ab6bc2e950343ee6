using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Personalization.Grains.Catalog;
using Personalization.Model;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>A catalog shard's persistence on the real SQLite store, without the grain: what it reads back and what each write covers.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class ShardStoreTests(SqliteClusterFixture fixture)
{
    private const int Dimension = 4;

    private readonly RecordingStorage _storage = new(fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>("Default"));
    private readonly GrainId _shard = GrainId.Create("shard-store-test", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Pages_read_back_item_for_item_and_are_not_written_again_until_they_change()
    {
        var store = await OpenAsync();
        var labels = new LabelSets();
        for (var i = 0; i < ItemPage.Rows + 3; i++)
        {
            var item = store.Items[store.Items.Add($"item-{i}")];
            (item.Categories, item.Tags, item.InteractionCount) = (labels.Intern([$"c{i % 3}"]), labels.Intern(["t"]), i);
            // Eighths below 125: values float16 holds exactly.
            store.Items.SetVector(store.Items.Count - 1, [.. Enumerable.Repeat(i % 1000 / 8f, Dimension)]);
        }

        var deactivated = store.Items[ItemPage.Rows + 1];
        deactivated.Active = false;
        await store.StoreChangedPagesAsync();
        Assert.Equal(["catalog-page-0", "catalog-page-1"], _storage.TakeWrites());

        var read = await OpenAsync();
        Assert.Equal(ItemPage.Rows + 3, read.Items.Count);
        Assert.True(read.Items.TryGetSlot("item-8193", out var slot));
        Assert.Equal(ItemPage.Rows + 1, slot);
        Assert.False(read.Items[slot].Active);
        Assert.Equal(["c0"], read.Items[slot].Categories);
        Assert.Equal(8193, read.Items[slot].InteractionCount);
        Assert.Equal(Enumerable.Repeat(193 / 8f, Dimension), read.Items.Vector(slot));

        await read.TickAsync(CancellationToken.None);
        await read.FlushAsync();
        Assert.Empty(_storage.TakeWrites());
    }

    [Fact]
    public async Task A_tick_writes_the_pages_changed_since_the_last_write_and_only_those()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 2 * ItemPage.Rows + 1; i++)
        {
            store.Items.Add($"item-{i}");
        }

        await store.StoreChangedPagesAsync();
        _storage.TakeWrites();

        store.Items.SetVector(ItemPage.Rows + 7, [.. Enumerable.Repeat(0.5f, Dimension)]);
        await store.TickAsync(CancellationToken.None);
        await store.FlushAsync();
        Assert.Equal(["catalog-page-1"], _storage.TakeWrites());

        await store.TickAsync(CancellationToken.None);
        await store.FlushAsync();
        Assert.Empty(_storage.TakeWrites());
        Assert.Equal(0.5f, (await OpenAsync()).Items.Vector(ItemPage.Rows + 7)[0]);
    }

    [Fact]
    public async Task A_page_whose_write_behind_failed_is_written_again()
    {
        var store = await OpenAsync();
        store.Items.Add("item-0");
        await store.StoreChangedPagesAsync();
        _storage.TakeWrites();

        store.Items.SetVector(0, [.. Enumerable.Repeat(0.25f, Dimension)]);
        _storage.FailNextWriteOf("catalog-page-0");
        await store.TickAsync(CancellationToken.None);
        await store.FlushAsync();

        Assert.Equal(["catalog-page-0", "catalog-page-0"], _storage.TakeWrites());
        Assert.Equal(0.25f, (await OpenAsync()).Items.Vector(0)[1]);
    }

    [Fact]
    public async Task The_learned_state_writes_the_changed_co_occurrence_parts_then_the_rest_and_reads_back()
    {
        var store = await OpenAsync();
        string[] ids = [.. Enumerable.Range(0, 40).Select(i => $"paired-{i}")];
        foreach (var id in ids)
        {
            store.Pairs[id] = new PairRow([new(1, 0.5f), new(2, 1.5f)], 2);
        }

        store.Learned.Occurrences["paired-0"] = 3;
        store.Learned.SharedWeights = [0.25];
        store.Learned.SharedGradients = [0.5];
        store.Learned.SkillGradients["skill"] = [2];
        foreach (var id in ids)
        {
            store.RowChanged(id);
        }

        store.LearnedChanged();
        await store.FlushAsync();
        var parts = ids.Select(PairsPart.Of).Distinct().Order().Select(PairsPart.StateName);
        Assert.Equal([.. parts, "catalog"], _storage.TakeWrites());

        store.Pairs[ids[5]].Add(3, 1f);
        store.RowChanged(ids[5]);
        store.LearnedChanged();
        await store.FlushAsync();
        Assert.Equal([PairsPart.StateName(PairsPart.Of(ids[5])), "catalog"], _storage.TakeWrites());

        var read = await OpenAsync();
        Assert.Equal(ids.Order(), read.Pairs.Keys.Order());
        Assert.Equal([1, 2, 3], read.Pairs[ids[5]].Entries.ToArray().Select(e => e.Slot));
        Assert.Equal([0.5f, 1.5f], read.Pairs[ids[6]].Entries.ToArray().Select(e => e.Count));
        Assert.Equal(3, read.Learned.Occurrences["paired-0"]);
        Assert.Equal([0.25], read.Learned.SharedWeights);
        // The sums that size the weights' AdaGrad steps are stored with them.
        Assert.Equal([0.5], read.Learned.SharedGradients);
        Assert.Equal([2.0], read.Learned.SkillGradients["skill"]);

        await read.FlushAsync();
        Assert.Empty(_storage.TakeWrites());
    }

    [Fact]
    public async Task A_tick_with_events_leaves_the_learned_state_for_the_first_quiet_tick()
    {
        var store = await OpenAsync();
        store.Learned.Occurrences["x"] = 1;
        store.LearnedChanged();

        await store.TickAsync(CancellationToken.None);
        Assert.Empty(_storage.TakeWrites());

        await store.TickAsync(CancellationToken.None);
        await store.FlushAsync();
        Assert.Equal(["catalog"], _storage.TakeWrites());
    }

    private async Task<ShardStore> OpenAsync()
    {
        var store = new ShardStore(_storage, _shard, Dimension, TimeProvider.System, NullLogger.Instance);
        await store.ReadAsync(new LabelSets());
        return store;
    }
}

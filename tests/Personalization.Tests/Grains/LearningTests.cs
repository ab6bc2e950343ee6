using Microsoft.Extensions.DependencyInjection;
using Personalization.Interfaces;
using Personalization.Model;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

[Collection(SqliteClusterCollection.Name)]
public sealed class LearningTests(SqliteClusterFixture fixture) : IDisposable
{
    private readonly CatalogOptions _catalog = new();
    private readonly ServiceProvider _services = ClientServices.For(fixture.Grains);

    [Fact]
    public async Task A_click_moves_the_user_toward_the_item_and_the_item_toward_the_user()
    {
        var key = Guid.NewGuid().ToString("N");
        var clicked = $"item-{key}";
        var other = $"other-{key}";
        await UpsertAsync(new ItemUpsert(clicked, [$"cat-{key}"], [], true, [], null), new ItemUpsert(other, [$"dog-{key}"], [], true, [], null));
        var userId = $"user-{key}";
        var user = fixture.Grains.GetGrain<IUserGrain>(userId);
        // A first click gives the user a direction; the second click is the step we measure.
        await RecordAsync(userId, Click(key, "1", other));
        var userBefore = (await user.GetQueryAsync(null, false, DateTimeOffset.UtcNow)).Vector;
        var itemBefore = (await ShardOf(clicked).GetVectorAsync(clicked))!;

        await RecordAsync(userId, Click(key, "2", clicked));

        var userAfter = (await user.GetQueryAsync(null, false, DateTimeOffset.UtcNow)).Vector;
        var itemAfter = (await ShardOf(clicked).GetVectorAsync(clicked))!;
        Assert.NotEqual(itemBefore, itemAfter);
        Assert.True(Cosine(userAfter, itemBefore) > Cosine(userBefore, itemBefore), "the user moved toward the item");
        Assert.True(VectorMath.Dot(itemAfter, userBefore) > VectorMath.Dot(itemBefore, userBefore), "the item moved toward the user");
    }

    [Fact]
    public async Task A_repeated_event_id_has_no_second_effect()
    {
        var key = Guid.NewGuid().ToString("N");
        var userId = $"user-{key}";
        var user = fixture.Grains.GetGrain<IUserGrain>(userId);
        var click = Click(key, "same", $"item-{key}");

        var first = await RecordAsync(userId, click, click);
        var vector = (await user.GetQueryAsync(null, false, DateTimeOffset.UtcNow)).Vector;
        var again = await RecordAsync(userId, click with { Type = "purchase" });

        Assert.Equal(new RecordResult(1, 1), first);
        Assert.Equal(new RecordResult(0, 1), again);
        Assert.Equal(1, (await user.GetProfileAsync()).InteractionCount);
        Assert.Equal(vector, (await user.GetQueryAsync(null, false, DateTimeOffset.UtcNow)).Vector);
    }

    [Fact]
    public async Task An_event_for_an_unknown_item_creates_it()
    {
        var key = Guid.NewGuid().ToString("N");
        var itemId = $"new-{key}";
        await RecordAsync($"user-{key}", Click(key, "1", itemId));

        var item = await ShardOf(itemId).GetItemAsync(itemId);
        Assert.NotNull(item);
        Assert.True(item.Active);
        Assert.Equal(1, item.InteractionCount);
    }

    private static UserEvent Click(string key, string id, string itemId) =>
        new($"{key}-{id}", itemId, "click", null, null, DateTimeOffset.UtcNow);

    private Task<RecordResult> RecordAsync(string userId, params UserEvent[] events) => _services.RecordAsync(userId, events);

    private ICatalogShardGrain ShardOf(string itemId) => fixture.Grains.GetGrain<ICatalogShardGrain>(_catalog.ShardOf(itemId));

    private Task UpsertAsync(params ItemUpsert[] items) =>
        Task.WhenAll(items.Select(item => ShardOf(item.Id).UpsertItemsAsync([item])));

    private static float Cosine(float[] a, float[] b) => VectorMath.Dot(a, b) / (VectorMath.Norm(a) * VectorMath.Norm(b));

    public void Dispose() => _services.Dispose();
}

using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>Every reason is true of its item: a list's low-signal items say what really put them there.</summary>
[Collection(ReasonGatewayCollection.Name)]
public sealed class ReasonTests(GatewayFactory gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task After_two_horror_events_the_fillers_say_popularity_or_nothing_not_closeness()
    {
        var key = Guid.NewGuid().ToString("N")[..8];
        var (horror, comedy) = ($"Horror-{key}", $"Comedy-{key}");
        string[] horrors = [.. Enumerable.Range(0, 4).Select(i => $"horror-{key}-{i}")];
        string[] comedies = [.. Enumerable.Range(0, 8).Select(i => $"comedy-{key}-{i}")];
        await _client.PostItemsAsync([
            .. horrors.Select(id => (object)new { id, categories = new[] { horror } }),
            .. comedies.Select(id => (object)new { id, categories = new[] { comedy } })]);
        // Other people made two comedies popular; the user engaged with two horror films.
        await _client.PostEventsAsync([.. Enumerable.Range(0, 3).SelectMany(f => comedies[..2].Select(id => (object)new { userId = $"fan-{key}-{f}", itemId = id, type = "click" }))]);
        var user = $"user-{key}";
        await _client.PostEventsAsync(
            new { userId = user, itemId = horrors[0], type = "click" }, new { userId = user, itemId = horrors[1], type = "like" });

        var list = (await _client.GetOkAsync($"/v1/users/{user}/recommendations?count=10&explore=0&diversity=0&popularityPenalty=0"))["items"]!
            .AsArray().Select(item => (Id: (string)item!["itemId"]!, Reason: (string)item["reason"]!)).ToArray();
        var reasons = list.ToDictionary(item => item.Id, item => item.Reason);

        Assert.All(horrors[2..], id => Assert.Equal($"matches your interest in {horror}", reasons[id]));
        Assert.All(comedies[..2], id => Assert.Equal("popular right now", reasons[id]));
        Assert.All(list.Where(item => item.Id.StartsWith("comedy", StringComparison.Ordinal) && !comedies[..2].Contains(item.Id)),
            item => Assert.Equal("to fill the list: nothing closer to go on", item.Reason));
        Assert.Equal(10, list.Length);
    }

    [Fact]
    public async Task Items_of_another_category_do_not_read_similar()
    {
        var key = Guid.NewGuid().ToString("N")[..8];
        string[] dramas = [.. Enumerable.Range(0, 3).Select(i => $"drama-{key}-{i}")];
        string[] comedies = [.. Enumerable.Range(0, 8).Select(i => $"comedy-{key}-{i}")];
        await _client.PostItemsAsync([
            .. dramas.Select(id => (object)new { id, categories = new[] { $"Drama-{key}" } }),
            .. comedies.Select(id => (object)new { id, categories = new[] { $"Comedy-{key}" } })]);

        // The gateway holds only this class's items: every one of them is in the list.
        var reasons = (await _client.GetOkAsync($"/v1/items/{dramas[0]}/similar?count=100"))["items"]!.AsArray()
            .ToDictionary(item => (string)item!["itemId"]!, item => (string)item!["reason"]!);

        Assert.All(dramas[1..], id => Assert.Equal($"similar to {dramas[0]}", reasons[id]));
        Assert.All(comedies, id => Assert.Equal($"to fill the list: nothing more similar to {dramas[0]}", reasons[id]));
    }

    [Fact]
    public async Task Popular_items_nobody_engaged_with_do_not_read_popular()
    {
        var category = $"Quiet-{Guid.NewGuid():N}";
        var (clicked, untouched) = ($"{category}-clicked", $"{category}-untouched");
        await _client.PostItemsAsync(new { id = clicked, categories = new[] { category } }, new { id = untouched, categories = new[] { category } });
        await _client.PostEventsAsync(new { userId = Catalog.NewId("fan"), itemId = clicked, type = "click" });

        var reasons = (await _client.GetOkAsync($"/v1/popular?category={category}"))["items"]!.AsArray()
            .ToDictionary(item => (string)item!["itemId"]!, item => (string)item!["reason"]!);

        Assert.Equal($"popular in {category}", reasons[clicked]);
        Assert.Equal($"to fill the list: in {category}, nothing closer to go on", reasons[untouched]);
    }
}

/// <summary>A gateway of the reason tests' own, holding only their items, so that whole lists can be looked at.</summary>
[CollectionDefinition(Name)]
public sealed class ReasonGatewayCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "reason gateway";
}

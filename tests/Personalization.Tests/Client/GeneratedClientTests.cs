using System.Text.Json.Nodes;
using Personalization.Client;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Client;

/// <summary>The generated client against the real gateway, and its document against the one the gateway serves.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GeneratedClientTests(GatewayFactory gateway)
{
    [Fact]
    public async Task The_committed_document_is_the_one_the_gateway_serves()
    {
        var committed = Path.Combine(RepositoryFolder.Path, "Client", "openapi.json");
        var served = await gateway.Client(null).GetStringAsync("/openapi/v1.json");

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committed, served);
        }

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(committed)), JsonNode.Parse(served)),
            "Client/openapi.json differs from what the gateway serves; run this test with UPDATE_OPENAPI=1 to update it, then review the diff.");
    }

    [Fact]
    public async Task The_client_upserts_items_sends_events_once_and_reads_recommendations()
    {
        var api = PersonalizationClient.Create(gateway.Client(null).BaseAddress!, ApiKeys.Admin);
        var prefix = Guid.NewGuid().ToString("N");
        string Item(int i) => $"{prefix}-item-{i}";
        var (horror, comedy) = ($"{prefix}-horror", $"{prefix}-comedy");
        var upserted = await api.UpsertItemsAsync([.. Enumerable.Range(0, 6).Select(i => new ItemBody { Id = Item(i), Categories = [i < 3 ? horror : comedy] })]);
        var imported = await api.ImportItemsAsync([new ItemBody { Id = Item(6), Categories = [horror] }, new ItemBody { Id = Item(7), Categories = [comedy] }]);
        EventBody[] events = [.. Enumerable.Range(0, 2).Select(i => new EventBody { UserId = $"{prefix}-user", ItemId = Item(i), Type = EventBodyType.Click })];

        var first = await api.SendEventsAsync(events);
        var again = await api.SendEventsAsync(events);
        var list = await api.RecommendForUserAsync($"{prefix}-user", count: 4, category: horror);

        Assert.Equal(6, upserted.Upserted);
        Assert.Equal(2, imported.Upserted);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.EventId)));
        Assert.Equal((2, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((0, 2), (again.Accepted, again.Duplicates));
        Assert.Equal([Item(2), Item(6)], list.Items.Select(i => i.ItemId).Order(StringComparer.Ordinal));
        Assert.All(list.Items, i => Assert.False(string.IsNullOrEmpty(i.Reason)));
        Assert.Equal(2, (await api.GetUserProfileAsync($"{prefix}-user")).InteractionCount);
    }

    [Fact]
    public async Task A_refused_call_raises_the_problem_status()
    {
        var api = PersonalizationClient.Create(gateway.Client(null).BaseAddress!, ApiKeys.Read);

        var error = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => api.UpsertItemsAsync([new ItemBody { Id = "x", Categories = [] }]));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal(403, error.Result.Status);
    }
}

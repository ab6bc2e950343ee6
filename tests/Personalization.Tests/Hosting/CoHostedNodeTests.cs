using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>
/// A node of the cluster is a gateway and a silo in one process: the users whose requests reach a node live in that
/// node's silo, so that their grain calls stay in the process.
/// </summary>
[Collection(PostgresGatewayCollection.Name)]
public sealed class CoHostedNodeTests(PostgresGatewayCluster cluster)
{
    [Fact]
    public async Task Users_whose_events_reach_a_node_live_in_that_nodes_silo()
    {
        var node = cluster.Nodes[1];
        using var client = node.Client().WithKey(ApiKeys.Admin);
        string[] users = [.. Enumerable.Range(0, 20).Select(_ => Catalog.NewId("node-user"))];

        await client.PostEventsAsync([.. users.Select(user => new { eventId = Catalog.NewId("e"), userId = user, itemId = "node-item", type = "click" })]);

        using var observer = await ClusterObserver.ThroughGatewayAsync(node.GatewayPort!.Value);
        var placement = (await observer.UserPlacementAsync()).Where(p => users.Contains(p.UserId)).ToList();
        Assert.Equal(users.Length, placement.Count);
        Assert.All(placement, p => Assert.Equal(node.SiloPort, p.Port));
    }
}

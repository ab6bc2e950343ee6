using System.Net;
using System.Net.Http.Json;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> of each node of the PostgreSQL cluster: the node the test talks to counts the events of this test, and
/// the nodes' silos report the grains, shards and journal commits that served them.
/// </summary>
[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterMetricsTests(PostgresGatewayCluster cluster)
{
    [Fact]
    public async Task Each_node_serves_the_metrics_of_its_gateway_and_its_silo()
    {
        var gateway = cluster.Client();
        var before = await MetricsScrape.FromAsync(cluster.GatewayAddress, ApiKeys.Admin);

        await gateway.PostItemsAsync(new { id = "cm-1", categories = new[] { "a" } }, new { id = "cm-2", categories = new[] { "a" } });
        await gateway.PostEventsAsync(
            new { eventId = "cme-1", userId = "cmu", itemId = "cm-1", type = "click" },
            new { eventId = "cme-2", userId = "cmu", itemId = "cm-2", type = "click" });
        using (var refused = await gateway.PostAsJsonAsync("/v1/events", new object[] { new { userId = "cmu", itemId = "cm-1", type = "nope" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await gateway.RecommendAsync("cmu");
        var after = await MetricsScrape.FromAsync(cluster.GatewayAddress, ApiKeys.Admin);
        var silos = await Task.WhenAll(cluster.Nodes.Select(s => MetricsScrape.FromAsync(s.BaseAddress!, ApiKeys.Admin)));

        Assert.Equal(2, after.Sum("personalization_events_total", "outcome=\"accepted\"") - before.Sum("personalization_events_total", "outcome=\"accepted\""));
        Assert.Equal(1, after.Sum("personalization_events_total", "outcome=\"rejected\"") - before.Sum("personalization_events_total", "outcome=\"rejected\""));
        Assert.True(after.Has("personalization_recommendation_duration_seconds_bucket"));
        Assert.True(after.Has("http_server_request_duration_seconds_bucket"));
        Assert.Contains(after.Names, n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.True(silos.Sum(s => s.Sum("personalization_users_active")) >= 1);
        Assert.True(silos.Sum(s => s.Sum("personalization_catalog_items")) >= 2);
        Assert.True(silos.Sum(s => s.Sum("personalization_journal_commit_duration_seconds_count")) >= 1);
        Assert.All(silos, s => Assert.Contains(s.Names, n => n.StartsWith("orleans_", StringComparison.Ordinal)));
        Assert.Contains(silos, s => s.Has("personalization_catalog_write_behind_lag_seconds"));
    }
}

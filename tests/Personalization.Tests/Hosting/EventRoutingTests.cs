using System.Diagnostics;
using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>
/// On the 2-silo PostgreSQL cluster, a request's events travel in one message per silo: the gateway's idea of where a
/// user's grain lives must agree with where Orleans placed it, or each router would call its users across processes.
/// </summary>
[Collection(PostgresGatewayCollection.Name)]
public sealed class EventRoutingTests(PostgresGatewayCluster cluster)
{
    [Fact]
    public async Task Each_silo_has_one_router_and_every_user_grain_lives_beside_its_router()
    {
        var client = cluster.Client();
        await using var observer = await ClusterObserver.StartAsync(cluster.ConnectionString);
        var users = Enumerable.Range(0, 40).Select(_ => Catalog.NewId("routed")).ToArray();

        // The gateway learns how many silos are active within seconds of starting; until then it calls users directly.
        var clock = Stopwatch.StartNew();
        List<(GrainId Grain, int SiloPort)> routers;
        var sent = 0;
        while (true)
        {
            await client.PostEventsAsync([.. users.Select(user => new { userId = user, itemId = "item-routed", type = "click" })]);
            sent++;
            routers = await observer.ActivationsAsync("eventrouter");
            if (routers.Count >= 2)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{routers.Count} routers active after 30 s");
            await Task.Delay(500);
        }

        Assert.Equal(2, routers.Count);
        Assert.Equal(2, routers.Select(r => r.SiloPort).Distinct().Count());
        var userSilos = (await observer.ActivationsAsync("user")).Where(u => users.Contains(u.Grain.Key.ToString())).ToList();
        Assert.Equal(users.Length, userSilos.Count);
        Assert.Equal(2, userSilos.Select(u => u.SiloPort).Distinct().Count());
        foreach (var (user, port) in userSilos)
        {
            var router = observer.Grains.Router(SiloRouting.SiloOf(observer.Grains.User(user.Key.ToString()!), silos: 2), silos: 2);
            Assert.Equal(port, routers.Single(r => r.Grain == router.GetGrainId()).SiloPort);
        }

        foreach (var user in users)
        {
            Assert.Equal(sent, (long)(await client.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
        }
    }
}

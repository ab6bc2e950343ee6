using System.Net;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Telemetry;

/// <summary>The silos' and the cluster gateway's readiness, each judging its own process, as a load balancer sees them.</summary>
public sealed class HealthTests
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_silo_whose_storage_is_unreachable_is_not_ready()
    {
        await using var server = PostgresServer.Start();
        var database = await server.CreateDatabaseAsync();
        await using var silo = await TestHost.SiloAsync(database);
        Assert.Equal(HttpStatusCode.OK, await EventuallyAsync(silo, HttpStatusCode.OK));

        server.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await EventuallyAsync(silo, HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(silo, "/health/live"));
    }

    [Fact]
    public async Task With_one_of_two_silos_killed_the_other_silo_and_the_gateway_stay_ready_and_serve()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var victim = await TestHost.SiloAsync(database);
        await using var survivor = await TestHost.SiloAsync(database);
        await using var gateway = await TestHost.ClusterGatewayAsync(database);
        Assert.Equal(HttpStatusCode.OK, await EventuallyAsync(survivor, HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, await EventuallyAsync(gateway, HttpStatusCode.OK));

        await victim.KillAsync();

        // Through the time the membership takes to declare the victim dead (a few probe timeouts), every probe passes.
        for (var probe = 0; probe < 15; probe++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(survivor, "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/health/ready"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // Serving resumes once the victim's shards move (a request meanwhile may get a 503 and be retried, as a client would).
        var client = gateway.Client();
        var until = DateTime.UtcNow + _deadline;
        while (true)
        {
            try
            {
                await client.PostItemsAsync(new { id = "h-1", categories = new[] { "a" } });
                await client.PostEventsAsync(new { eventId = "he-1", userId = "hu", itemId = "h-1", type = "click" });
                await client.RecommendAsync("hu");
                break;
            }
            catch (Exception) when (DateTime.UtcNow < until)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(TestHost host, string path)
    {
        using var client = host.Client();
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>The readiness answer once it is <paramref name="expected"/>, or the last one at the deadline.</summary>
    private static async Task<HttpStatusCode> EventuallyAsync(TestHost host, HttpStatusCode expected)
    {
        var until = DateTime.UtcNow + _deadline;
        HttpStatusCode status;
        while ((status = await StatusAsync(host, "/health/ready")) != expected && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return status;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Personalization.Bench.Hosting;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>The load balancer (LoadBalancer.dll) in front of real nodes, and its refusal of a configuration that cannot work.</summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public async Task Right_after_a_node_is_killed_every_request_is_answered_by_the_other()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var nodes = await Task.WhenAll(TestHost.NodeAsync(database), TestHost.NodeAsync(database));
        await using var victim = nodes[0];
        await using var survivor = nodes[1];
        // Round robin, and probes too rare to notice the kill during the test: half the requests choose the dead node.
        await using var balancer = await TestHost.LoadBalancerAsync(nodes, new Dictionary<string, string>
        {
            ["LoadBalancer:Policy"] = "RoundRobin",
            ["LoadBalancer:HealthInterval"] = "00:10:00",
        });
        using var client = balancer.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await victim.KillAsync();

        // Requests chosen for the dead node go to the other one.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            using var response = await client.GetAsync("/health/live");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public void The_built_load_balancer_starts_with_the_thread_pools_spinning_off()
    {
        // Read from the runtimeconfig beside the binary, as `dotnet LoadBalancer.dll` and the container read it.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "LoadBalancer.runtimeconfig.json")))!;

        Assert.Equal(0, config["runtimeOptions"]!["configProperties"]!["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("not-an-address", "LoadBalancer:Nodes holds 'not-an-address'")]
    [InlineData("", "LoadBalancer:Nodes is empty")]
    public async Task A_load_balancer_without_usable_nodes_refuses_to_start_and_says_why(string nodes, string reason)
    {
        var errors = new List<string>();
        var start = HostProcess.StartAsync("LoadBalancer.dll", ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["LoadBalancer__Nodes"] = nodes }, errorLine: line => { lock (errors) errors.Add(line); });

        await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        lock (errors)
        {
            Assert.Contains(errors, line => line.Contains(reason, StringComparison.Ordinal));
        }
    }
}

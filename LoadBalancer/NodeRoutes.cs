using Yarp.ReverseProxy.Configuration;

namespace Personalization.LoadBalancer;

/// <summary>One route taking every path to one cluster of the nodes, with active and passive health checks.</summary>
public static class NodeRoutes
{
    private const string ClusterId = "nodes";

    public static IReadOnlyList<RouteConfig> Routes { get; } =
        [new RouteConfig { RouteId = "all", ClusterId = ClusterId, Match = new RouteMatch { Path = "{**path}" } }];

    public static IReadOnlyList<ClusterConfig> Clusters(LoadBalancerOptions options) =>
    [
        new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = options.Policy,
            Destinations = options.Nodes.Select((address, i) => (address, i))
                .ToDictionary(node => $"node{node.i + 1}", node => new DestinationConfig { Address = node.address }),
            HealthCheck = new HealthCheckConfig
            {
                // Ready means the node's silo is active in the membership and its store answers; a killed node fails
                // its probe within one interval and leaves the rotation after the second (ConsecutiveFailures' default).
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = options.HealthInterval,
                    Timeout = TimeSpan.FromSeconds(2),
                    Policy = "ConsecutiveFailures",
                    Path = "/health/ready",
                },
                // Between probes, connection failures take a node out at once; the next good probe brings it back.
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = "TransportFailureRate",
                    ReactivationPeriod = TimeSpan.FromSeconds(5),
                },
            },
        },
    ];
}

using Yarp.ReverseProxy.LoadBalancing;

namespace Personalization.LoadBalancer;

/// <summary>Configuration section "LoadBalancer".</summary>
public sealed class LoadBalancerOptions
{
    public const string SectionName = "LoadBalancer";

    /// <summary>
    /// The nodes' base addresses: comma-separated (<c>LoadBalancer__Nodes=http://node1:8080,http://node2:8080</c>) or
    /// one per index (<c>LoadBalancer:Nodes:0</c>).
    /// </summary>
    public string[] Nodes { get; set; } = [];

    /// <summary>YARP's policy name: LeastRequests (default), RoundRobin, PowerOfTwoChoices, Random or FirstAlphabetical.</summary>
    public string Policy { get; set; } = LoadBalancingPolicies.LeastRequests;

    /// <summary>How often each node's <c>/health/ready</c> is asked; a node leaves the rotation after two failures in a row.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Binds the section, accepting a comma-separated list in a single value as the environment gives it; null and the
    /// problem when the configuration cannot work.
    /// </summary>
    public static (LoadBalancerOptions? Options, string? Problem) From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var options = section.Get<LoadBalancerOptions>() ?? new LoadBalancerOptions();
        if (section["Nodes"] is { Length: > 0 } list)
        {
            options.Nodes = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        string[] policies = [LoadBalancingPolicies.LeastRequests, LoadBalancingPolicies.RoundRobin, LoadBalancingPolicies.PowerOfTwoChoices,
            LoadBalancingPolicies.Random, LoadBalancingPolicies.FirstAlphabetical];
        return options switch
        {
            { Nodes.Length: 0 } => (null, "LoadBalancer:Nodes is empty: give the nodes' addresses (LoadBalancer__Nodes=http://host:port,...)."),
            _ when options.Nodes.FirstOrDefault(n => !Uri.TryCreate(n, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } bad =>
                (null, $"LoadBalancer:Nodes holds '{bad}', which is not an http(s) address."),
            _ when !policies.Contains(options.Policy, StringComparer.OrdinalIgnoreCase) =>
                (null, $"LoadBalancer:Policy '{options.Policy}' is none of {string.Join(", ", policies)}."),
            { HealthInterval.TotalMilliseconds: < 100 } => (null, "LoadBalancer:HealthInterval must be at least 100 ms."),
            _ => (options, null),
        };
    }
}

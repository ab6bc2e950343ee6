namespace Personalization.LoadBalancer;

/// <summary>
/// The load balancer in front of the cluster's nodes: every request goes to a ready node (least outstanding requests by
/// default), each node's <c>/health/ready</c> probed continually. Configuration: <see cref="LoadBalancerOptions"/>.
/// </summary>
public static class LoadBalancerProgram
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var (options, problem) = LoadBalancerOptions.From(builder.Configuration);
        if (options is null)
        {
            Console.Error.WriteLine($"Refusing to start: {problem}");
            return 1;
        }

        // Quiet unless configured otherwise: a proxy would log every request at Information.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Body sizes are the nodes' to limit (the NDJSON import takes up to 512 MiB): bodies stream through.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddReverseProxy().LoadFromMemory(NodeRoutes.Routes, NodeRoutes.Clusters(options));

        var app = builder.Build();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ForwardToAllWhenNoneReady.InvokeAsync);
            // Before the choice of a node, so that a retry chooses again among the others.
            proxy.Use(RetryWhereConnected.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        app.Run();
        return 0;
    }
}

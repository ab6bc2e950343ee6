using Yarp.ReverseProxy.Model;

namespace Personalization.LoadBalancer;

/// <summary>
/// When no node is ready (the database is down, say, which every node's readiness includes), requests still go to the
/// nodes rather than being refused here: a node still serves what it holds in memory, and what it cannot serve it
/// answers with its own problem and Retry-After, which says more than a bare 503 of the load balancer.
/// </summary>
public static class ForwardToAllWhenNoneReady
{
    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        if (proxy.AvailableDestinations.Count == 0)
        {
            proxy.AvailableDestinations = proxy.AllDestinations;
        }

        return next();
    }
}

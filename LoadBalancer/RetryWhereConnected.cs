using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Personalization.LoadBalancer;

/// <summary>
/// Sends a request to another node when the chosen one could not even be connected to (a node killed since the last
/// health probe). Nothing of the request reached that node, so this is safe for every method, events and item
/// writes included. A request that reached a node and got no answer is not retried here: the client gets the 502 and
/// retries it itself (events carry their ids, so a retry is never counted twice).
/// </summary>
public static class RetryWhereConnected
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var tried = new HashSet<DestinationState>();
        while (true)
        {
            // The load balancing after this narrows the available destinations to the one it chose: keep the choice.
            var candidates = proxy.AvailableDestinations;
            await next();
            if (context.GetForwarderErrorFeature() is not { } error || !NeverConnected(error) || context.Response.HasStarted
                || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }

            tried.Add(failed);
            var others = candidates.Where(d => !tried.Contains(d)).ToList();
            if (others.Count == 0)
            {
                return;
            }

            proxy.AvailableDestinations = others;
            proxy.ProxiedDestination = null;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    private static bool NeverConnected(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}

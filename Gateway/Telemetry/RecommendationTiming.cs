using System.Diagnostics;

namespace Personalization.Gateway.Telemetry;

/// <summary>Times each answer of the endpoints it is put on into <c>personalization.recommendation.duration</c>, by route pattern.</summary>
public sealed class RecommendationTiming(GatewayMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context);
        if (context.HttpContext.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            metrics.RecommendationServed(route, Stopwatch.GetElapsedTime(started));
        }

        return result;
    }
}

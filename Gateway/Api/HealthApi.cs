using Microsoft.Extensions.Diagnostics.HealthChecks;
using Personalization.Services;
using Personalization.Silo.Health;

namespace Personalization.Gateway.Api;

public static class HealthApi
{
    public static IServiceCollection AddClusterHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the cluster answers (and, co-hosting the silo in
    /// standalone mode, that silo's own checks pass). Both open.
    /// </summary>
    public static WebApplication MapHealthApi(this WebApplication app)
    {
        app.MapHealthEndpoints().AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Calls a catalog shard, which needs a silo and (on activation) storage to answer. Any live silo that hosts the
    /// shard, or can activate it, will do: a dead silo does not make the gateway unready once its shards move.
    /// </summary>
    private sealed class ClusterHealthCheck(CatalogClient catalog) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await catalog.ProbeAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("The cluster did not answer.", ex);
            }
        }
    }
}

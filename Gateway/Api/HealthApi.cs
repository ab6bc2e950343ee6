using Microsoft.Extensions.Diagnostics.HealthChecks;
using Personalization.Interfaces;
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
    /// Pings a stateless worker, which the silo receiving the call answers itself: the cluster answers as long as one
    /// silo does, and a dead silo whose grains are not yet moved does not make the gateway unready. Each silo reports
    /// its own storage on its own <c>/health/ready</c>; co-hosted (standalone), those checks run here too.
    /// </summary>
    private sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<IHealthProbeGrain>(0).PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("The cluster did not answer.", ex);
            }
        }
    }
}

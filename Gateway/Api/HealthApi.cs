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
    /// silo does. A ping that fails is sent again (the client then avoids the silo it could not reach), so that a dead
    /// silo still listed in the membership does not make the gateway unready. Each silo reports its own storage on its
    /// own <c>/health/ready</c>; co-hosted (standalone), those checks run here too.
    /// </summary>
    private sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        private const int Attempts = 3;
        private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await grains.GetGrain<IHealthProbeGrain>(attempt).PingAsync().WaitAsync(timeout.Token);
                    return HealthCheckResult.Healthy();
                }
                catch (Exception) when (attempt < Attempts && !timeout.IsCancellationRequested)
                {
                    // Another try, through another silo if the client found this one gone.
                }
                catch (Exception ex)
                {
                    return HealthCheckResult.Unhealthy("The cluster did not answer.", ex);
                }
            }
        }
    }
}

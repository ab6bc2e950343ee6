using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Personalization.Silo.Health;

/// <summary>Ready once this silo is active in the cluster membership: it has joined and the others accept it.</summary>
internal sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"This silo is {status} in the cluster membership, not active."));
    }
}

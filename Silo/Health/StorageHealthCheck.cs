using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Personalization.Silo.Health;

/// <summary>Ready while the silo's store answers a trivial query within <see cref="Timeout"/>.</summary>
internal sealed class StorageHealthCheck(DbDataSource dataSource) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The store did not answer.", ex);
        }
    }
}

using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Personalization.Silo.Health;

public static class SiloHealthRegistration
{
    /// <summary>The silo's readiness checks: its membership status, and its store (<paramref name="store"/>) answering.</summary>
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services, DbDataSource store)
    {
        services.AddHealthChecks()
            .AddCheck<MembershipHealthCheck>("membership", tags: [HealthEndpoints.ReadyTag])
            .AddTypeActivatedCheck<StorageHealthCheck>("storage", failureStatus: null, tags: [HealthEndpoints.ReadyTag], args: [store]);
        return services;
    }
}

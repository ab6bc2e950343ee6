using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Personalization.Grains.Users;

namespace Personalization.Silo.Memory;

/// <summary>
/// Memory that follows active users: a user grain idle for <c>Users:IdleDeactivation</c> is deactivated, and after many
/// have gone the process gives their memory back (<see cref="IdleMemoryTrim"/>).
/// </summary>
public static class IdleUsers
{
    /// <summary>Orleans' activation collector looks at idle grains once per quantum: a quarter of the idle time at most.</summary>
    private const int QuantaPerIdleTime = 4;

    public static ISiloBuilder DeactivateIdleUsers(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<UserActivationOptions>().BindConfiguration(UserActivationOptions.SectionName)
            .Validate(o => o.IdleDeactivation >= TimeSpan.FromSeconds(1), "Users:IdleDeactivation must be at least 1 second.")
            .ValidateOnStart();
        silo.Services.AddOptions<GrainCollectionOptions>().Configure<IOptions<UserActivationOptions>>((collection, users) =>
        {
            var idle = users.Value.IdleDeactivation;
            if (idle <= TimeSpan.Zero)
            {
                // Refused by the validation above, with its message rather than Orleans' about the quantum.
                return;
            }

            collection.ClassSpecificCollectionAge[typeof(UserGrain).FullName!] = idle;
            // An idle grain goes at the first collection after its time: with the quantum a fraction of that time, the
            // user's memory is freed near the configured time rather than up to Orleans' default minute later.
            collection.CollectionQuantum = CollectionQuantum(idle, collection.CollectionQuantum);
        });
        silo.Services.AddHostedService<IdleMemoryTrim>();
        return silo;
    }

    /// <summary>How often idle users are looked for: a fraction of the idle time, at most <paramref name="longest"/>.</summary>
    public static TimeSpan CollectionQuantum(TimeSpan idle, TimeSpan? longest = null)
    {
        var quantum = idle / QuantaPerIdleTime;
        var cap = longest ?? GrainCollectionOptions.DEFAULT_COLLECTION_QUANTUM;
        return quantum < cap ? quantum : cap;
    }
}

using System.Diagnostics;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Durability;

/// <summary>What the cluster's membership says about its silos, asked through an observer: who was declared dead, and who was suspected.</summary>
public static class MembershipView
{
    /// <summary>Polls every 0.2 s until the silo on <paramref name="siloPort"/> is declared dead; then the time on <paramref name="clock"/>.</summary>
    public static async Task<TimeSpan> DeclaredDeadAsync(this ClusterObserver observer, int siloPort, Stopwatch clock, TimeSpan deadline)
    {
        while (true)
        {
            Assert.True(clock.Elapsed < deadline, $"the silo on port {siloPort} was not declared dead in time");
            try
            {
                var hosts = await observer.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false);
                if (hosts.Any(h => h.Key.Endpoint.Port == siloPort && h.Value == SiloStatus.Dead))
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The observer's gateway may be the killed silo until it notices: ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// Every silo port of the membership with its status and the suspicion votes recorded against it (a silo declared
    /// dead carries the votes that declared it).
    /// </summary>
    public static async Task<List<(int Port, SiloStatus Status, int Votes)>> SilosAsync(this ClusterObserver observer)
    {
        var entries = await observer.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return [.. entries.Select(e => (e.SiloAddress.Endpoint.Port, e.Status, e.SuspectTimes?.Count ?? 0))];
    }
}

using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Personalization.Silo.Hosting;

/// <summary>
/// How silos of the cluster find out that one of them died: the shipped defaults of <c>Orleans:Membership</c>, which
/// the section overrides setting by setting.
/// </summary>
public static class FailureDetection
{
    /// <summary>
    /// The first probe timeout. Orleans probes each watched silo once per effective timeout, which it adapts to the
    /// answers it sees between half and four times this value; a killed process refuses the connection at once, so it
    /// misses one probe per period: the floor, half of this value, rather than half of Orleans' own 5 s.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Missed probes in a row before a silo votes another dead; two votes declare it. A silo that is only slow is
    /// protected besides: a vote is withheld while its connection brought a message within the last
    /// <c>MaxProbeTimeout</c> x this, and a prober whose own process stalls (GC, starved threads) lengthens its timeouts
    /// or counts the probe as inconclusive.
    /// </summary>
    public const int NumMissedProbesLimit = 3;

    public static ISiloBuilder ConfigureFailureDetection(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = ProbeTimeout;
            options.NumMissedProbesLimit = NumMissedProbesLimit;
        });
        return silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
    }
}

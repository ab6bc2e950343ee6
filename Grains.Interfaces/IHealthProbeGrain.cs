namespace Personalization.Interfaces;

/// <summary>
/// A ping answered by whichever silo receives it (a stateless worker, activated there): a client's readiness asks
/// whether some silo of the cluster answers, so that one dead silo does not make it unready.
/// </summary>
public interface IHealthProbeGrain : IGrainWithIntegerKey
{
    Task PingAsync();
}

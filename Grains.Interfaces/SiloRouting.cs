using Orleans.Runtime;

namespace Personalization.Interfaces;

/// <summary>
/// Which silo a user's grain lives on, as a client can tell without asking: user grains and event routers are both
/// placed by Orleans' hash-based placement (the grain id's uniform hash modulo the number of active silos, over the
/// silos in sorted order). For each silo position the router is the first key whose hash lands there.
/// </summary>
public static class SiloRouting
{
    // One object, so that a reader never sees the keys of one silo count with another.
    private static RouterKeys _routers = new(0, []);

    /// <summary>The position of the silo holding <paramref name="grain"/> among <paramref name="silos"/> active silos.</summary>
    public static int SiloOf(IAddressable grain, int silos) => (int)((grain.GetGrainId().GetUniformHashCode() & 0x7fffffff) % (uint)silos);

    /// <summary>The router on the silo at <paramref name="position"/> of <paramref name="silos"/>.</summary>
    public static IEventRouterGrain Router(this IGrainFactory grains, int position, int silos)
    {
        var routers = _routers;
        if (routers.Silos != silos)
        {
            _routers = routers = new RouterKeys(silos, FindRouterKeys(grains, silos));
        }

        return grains.GetGrain<IEventRouterGrain>(routers.Keys[position]);
    }

    private static long[] FindRouterKeys(IGrainFactory grains, int silos)
    {
        var keys = new long[silos];
        var found = 0;
        var seen = new bool[silos];
        for (long key = 0; found < silos; key++)
        {
            var position = SiloOf(grains.GetGrain<IEventRouterGrain>(key), silos);
            if (!seen[position])
            {
                (seen[position], keys[position]) = (true, key);
                found++;
            }
        }

        return keys;
    }

    private sealed record RouterKeys(int Silos, long[] Keys);
}

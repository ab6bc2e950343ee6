using Orleans.Runtime;

namespace Personalization.Interfaces;

/// <summary>
/// References to this service's grains. <c>GetGrain&lt;T&gt;(key)</c> resolves the interface's grain type again on every
/// call (reflection over attributes, type names formatted into strings): at ingest that is a hundred calls per request.
/// Here the types are resolved once per interface and each reference is built from its grain id directly.
/// </summary>
public static class GrainReferences
{
    public static IUserGrain User(this IGrainFactory grains, string userId) =>
        Resolved<IUserGrain>.Reference(grains, IdSpan.Create(userId), g => g.GetGrain<IUserGrain>(userId));

    public static ICatalogShardGrain Shard(this IGrainFactory grains, int shard) =>
        Resolved<ICatalogShardGrain>.Reference(grains, GrainIdKeyExtensions.CreateIntegerKey(shard), g => g.GetGrain<ICatalogShardGrain>(shard));

    public static IExposureGrain ExposurePartition(this IGrainFactory grains, int partition) =>
        Resolved<IExposureGrain>.Reference(grains, GrainIdKeyExtensions.CreateIntegerKey(partition), g => g.GetGrain<IExposureGrain>(partition));

    /// <summary>The grain type and interface type of <typeparamref name="T"/>, taken from the first reference made the usual way.</summary>
    private static class Resolved<T> where T : IAddressable
    {
        private static (GrainType Grain, GrainInterfaceType Interface)? _types;

        public static T Reference(IGrainFactory grains, IdSpan key, Func<IGrainFactory, T> usual)
        {
            if (_types is not { } types)
            {
                var first = (GrainReference)(object)usual(grains);
                _types = types = (first.GrainId.Type, first.InterfaceType);
            }

            return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }
    }
}

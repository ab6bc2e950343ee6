using System.Collections.Concurrent;
using Personalization.Interfaces;

namespace Personalization.Grains.Catalog;

/// <summary>
/// The catalog shards active in this silo, each registered by its grain while it is active: a gateway of the same
/// process scans them in place (<see cref="ILocalCatalogShards"/>). A process without a silo has none.
/// </summary>
public sealed class LocalCatalogShards : ILocalCatalogShards
{
    private readonly ConcurrentDictionary<long, ILocalCatalogShard> _active = new();

    public ILocalCatalogShard? Find(int shard) => _active.TryGetValue(shard, out var scan) ? scan : null;

    internal void Activated(long shard, ILocalCatalogShard scan) => _active[shard] = scan;

    /// <summary>Before the shard's last changes are stored: a later activation (here or on another silo) takes over.</summary>
    internal void Deactivating(long shard, ILocalCatalogShard scan) => _active.TryRemove(KeyValuePair.Create(shard, scan));
}

using Personalization.Model;

namespace Personalization.Interfaces;

/// <summary>How the catalog is partitioned. Every silo and gateway of a cluster must agree on it.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Number of catalog shard grains; an item lives in shard <c>hash(itemId) mod ShardCount</c>.</summary>
    public int ShardCount { get; set; } = 4;

    public int ShardOf(string itemId) => IdHash.Bucket(itemId, ShardCount);
}

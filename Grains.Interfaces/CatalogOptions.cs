using Personalization.Model;

namespace Personalization.Interfaces;

/// <summary>How the catalog is partitioned. Every silo and gateway of a cluster must agree on it.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Number of catalog shard grains; an item lives in shard <c>hash(itemId) mod ShardCount</c>.</summary>
    public int ShardCount { get; set; } = 4;

    /// <summary>
    /// Items the catalog may hold at most. Past it an unknown item is refused (an event naming one, an upsert creating
    /// one) so that a client cannot grow the catalog's memory without bound by inventing ids.
    /// </summary>
    public int MaxItems { get; set; } = 10_000_000;

    /// <summary>
    /// Items one shard may hold: an even share of <see cref="MaxItems"/>, rounded up. Ids hash evenly over the shards,
    /// so that every shard fills at about the same time; each shard decides alone, without asking the others.
    /// </summary>
    public int ShardCapacity => (int)(((long)MaxItems + ShardCount - 1) / ShardCount);

    public int ShardOf(string itemId) => IdHash.Bucket(itemId, ShardCount);
}

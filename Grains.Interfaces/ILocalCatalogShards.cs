using System.Diagnostics.CodeAnalysis;

namespace Personalization.Interfaces;

/// <summary>
/// The catalog shards whose grains are active in this process. A gateway in the same process (standalone, or a
/// cluster node that serves HTTP) scans them in place instead of calling them: no message, no copy of the answer, and
/// the shard's own memory (nothing is replicated). A shard of another process is called as a grain.
/// </summary>
public interface ILocalCatalogShards
{
    /// <summary>The shard's scan when its grain is active in this process, else null.</summary>
    ILocalCatalogShard? Find(int shard);
}

/// <summary>A catalog shard's recommendation scan, run on the caller's thread, between the shard's own changes.</summary>
public interface ILocalCatalogShard
{
    /// <summary>The same answer as <see cref="ICatalogShardGrain.RecommendAsync"/>, which runs this very scan.</summary>
    Task<ScoredItem[]> RecommendAsync(ShardQuery query);

    /// <summary>
    /// The same scan at once when the shard is free at this moment (no other scan or change holds it) and small enough
    /// to scan without letting the caller go on; false otherwise, and <see cref="RecommendAsync"/> waits its turn.
    /// </summary>
    bool TryRecommend(ShardQuery query, [NotNullWhen(true)] out ScoredItem[]? answer);
}

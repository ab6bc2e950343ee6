namespace Personalization.Interfaces;

/// <summary>The scatter-gather over catalog shards, shared by the gateway and the bench.</summary>
public static class CatalogFanOut
{
    /// <summary>
    /// Sends <paramref name="query"/> to every shard, each with only the exclusions it owns, and merges their top
    /// candidates: best first, ties by item id, at most <see cref="ShardQuery.Count"/>.
    /// </summary>
    public static async Task<List<ScoredItem>> RecommendAsync(
        this IGrainFactory grains, CatalogOptions catalog, ShardQuery query, IGrainCallPolicy? policy = null)
    {
        policy ??= IGrainCallPolicy.Direct;
        // A repeated id costs nothing (each shard makes a set of its exclusions), so no set is built here.
        var excludeByShard = new List<string>?[catalog.ShardCount];
        foreach (var id in query.Exclude)
        {
            (excludeByShard[catalog.ShardOf(id)] ??= []).Add(id);
        }

        var results = await policy.CallEachAsync(Shards(catalog), shard =>
            grains.Shard(shard).RecommendAsync(query with { Exclude = excludeByShard[shard]?.ToArray() ?? [] }));
        return [.. results
            .SelectMany(r => r)
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.ItemId, StringComparer.Ordinal)
            .Take(query.Count)];
    }

    /// <summary>Every shard number, for a call to each.</summary>
    public static int[] Shards(CatalogOptions catalog) => [.. Enumerable.Range(0, catalog.ShardCount)];

    /// <summary>
    /// The request time as the shards see it, to the minute: time-decayed popularity then gives identical requests a
    /// moment apart the same answer ("without new events, the same answer").
    /// </summary>
    public static DateTimeOffset StableAsOf(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}

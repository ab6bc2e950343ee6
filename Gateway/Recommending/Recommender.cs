using Microsoft.Extensions.Options;
using Personalization.Gateway.Hosting;
using Personalization.Interfaces;
using Personalization.Model;
using Polly;

namespace Personalization.Gateway.Recommending;

/// <summary>What a caller asks for, validated.</summary>
public sealed record RecommendationRequest(
    int Count, string? SessionId, string? Category, string[] Exclude, bool ExcludeSeen, double Explore, double Diversity, double PopularityPenalty);

/// <summary>One entry of an answer, best first.</summary>
public sealed record RecommendedItem(string ItemId, float Score, string Reason);

/// <summary>
/// Fans a query out to every catalog shard (each returns its own top candidates), merges them, and re-ranks:
/// diversity (MMR), exploration slots, and a reason for every item.
/// </summary>
public sealed class Recommender(
    IGrainFactory grains,
    ResiliencePipeline cluster,
    IGrainCallPolicy policy,
    IOptions<CatalogOptions> catalog,
    IOptions<OversightOptions> oversight,
    TimeProvider clock)
{
    /// <summary>How many candidates per requested item re-ranking looks at.</summary>
    private const int PoolFactor = 3;

    public async Task<RecommendedItem[]> ForUserAsync(string userId, RecommendationRequest request)
    {
        var user = await cluster.CallAsync(() => grains.GetGrain<IUserGrain>(userId).GetQueryAsync(request.SessionId, request.ExcludeSeen, clock.GetUtcNow()));
        var rerank = request.Diversity > 0 || request.Explore > 0;
        var pool = await FanOutAsync(
            user.Vector, user.PopularityWeight - (float)request.PopularityPenalty, request.Category, user.Seen.Concat(request.Exclude),
            rerank ? request.Count * PoolFactor : request.Count, includeVectors: request.Diversity > 0, user.History);

        var personalized = !VectorMath.IsZero(user.Vector);
        var chosen = request.Diversity > 0
            ? [.. Reranking.Mmr([.. pool.Select(c => c.Score)], [.. pool.Select(c => c.Vector!)], request.Count, request.Diversity).Select(i => pool[i])]
            : pool.Take(request.Count).ToList();
        var answer = chosen.Select(c => new RecommendedItem(c.ItemId, c.Score, Reason(c, personalized, user.TopCategories, request.Category))).ToList();
        if (request.Explore > 0)
        {
            Explore(answer, [.. pool.Where(c => chosen.All(k => k.ItemId != c.ItemId))], request.Explore);
        }

        // One-way, to a random partition: oversight never slows serving down and no grain is hot.
        _ = grains.GetGrain<IExposureGrain>(Random.Shared.Next(oversight.Value.Partitions))
            .RecordServedAsync([.. answer.Select(a => a.ItemId)], clock.GetUtcNow());
        return [.. answer];
    }

    /// <summary>Items closest to <paramref name="itemId"/>'s vector; null when the item was never seen.</summary>
    public async Task<RecommendedItem[]?> SimilarAsync(string itemId, int count)
    {
        var vector = await cluster.CallAsync(() => grains.GetGrain<ICatalogShardGrain>(catalog.Value.ShardOf(itemId)).GetVectorAsync(itemId));
        if (vector is null)
        {
            return null;
        }

        VectorMath.Normalize(vector);
        var pool = await FanOutAsync(vector, 0, null, [itemId], count, includeVectors: false, [new WeightedItem(itemId, 1)]);
        return [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, $"similar to {itemId}"))];
    }

    public async Task<RecommendedItem[]> PopularAsync(int count, string? category)
    {
        var pool = await FanOutAsync([], 1, category, [], count, includeVectors: false);
        return [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, Reason(c, false, [], category)))];
    }

    private Task<List<ScoredItem>> FanOutAsync(
        float[] vector, float popularityWeight, string? category, IEnumerable<string> exclude, int count, bool includeVectors,
        WeightedItem[]? history = null)
    {
        // Popularity decays continuously; scoring it as of the current minute keeps near-ties from flipping between two
        // identical requests a moment apart ("without new events, the same answer").
        var now = clock.GetUtcNow();
        var asOf = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        return grains.RecommendAsync(
            catalog.Value,
            new ShardQuery(vector, popularityWeight, category, [.. exclude], count, asOf, includeVectors, history ?? []),
            policy);
    }

    /// <summary>Each slot is, with probability <paramref name="rate"/>, given to a random candidate from deeper in the pool.</summary>
    private static void Explore(List<RecommendedItem> answer, List<ScoredItem> reserve, double rate)
    {
        for (var slot = 0; slot < answer.Count && reserve.Count > 0; slot++)
        {
            if (Random.Shared.NextDouble() < rate)
            {
                var pick = Random.Shared.Next(reserve.Count);
                answer[slot] = new RecommendedItem(reserve[pick].ItemId, reserve[pick].Score, "exploring: something new for you");
                reserve.RemoveAt(pick);
            }
        }
    }

    private static string Reason(ScoredItem item, bool personalized, string[] topCategories, string? category)
    {
        if (personalized)
        {
            var shared = item.Categories.FirstOrDefault(topCategories.Contains);
            return shared is not null ? $"matches your interest in {shared}" : "close to what you engaged with recently";
        }

        return category is not null ? $"popular in {category}" : "popular right now";
    }
}

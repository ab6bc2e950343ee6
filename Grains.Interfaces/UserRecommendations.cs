using Personalization.Model;

namespace Personalization.Interfaces;

/// <summary>What a caller asks for, validated.</summary>
public sealed record RecommendationRequest(
    int Count, string? SessionId, string? Category, string[] Exclude, bool ExcludeSeen, double Explore, double Diversity, double PopularityPenalty);

/// <summary>One entry of an answer, best first.</summary>
public sealed record RecommendedItem(string ItemId, float Score, string Reason);

/// <summary>
/// A user's recommendations, shared by the gateway and the bench so that what is measured is what is served: the user
/// grain's query, the fan-out to every catalog shard, then re-ranking (popularity penalty, diversity by MMR,
/// exploration slots) and a reason for every item.
/// </summary>
public static class UserRecommendations
{
    /// <summary>How many candidates per requested item re-ranking looks at: deep enough to reach less exposed items.</summary>
    private const int PoolFactor = 20;

    /// <summary>The pool's bound for long lists, which have depth of their own.</summary>
    private const int MaxPool = 500;

    public static async Task<RecommendedItem[]> RecommendForUserAsync(
        this IGrainFactory grains,
        CatalogOptions catalog,
        string userId,
        RecommendationRequest request,
        DateTimeOffset asOf,
        Random random,
        ExposureLedger exposure,
        IGrainCallPolicy? policy = null)
    {
        policy ??= IGrainCallPolicy.Direct;
        var user = await policy.CallAsync(() => grains.User(userId).GetQueryAsync(request.SessionId, request.ExcludeSeen, asOf));
        var rerank = request.Diversity > 0 || request.Explore > 0 || request.PopularityPenalty > 0;
        var pool = await grains.RecommendAsync(
            catalog,
            new ShardQuery(
                user.Vector, user.PopularityWeight, request.Category, [.. user.Seen, .. request.Exclude],
                rerank ? Math.Max(request.Count, Math.Min(request.Count * PoolFactor, MaxPool)) : request.Count, CatalogFanOut.StableAsOf(asOf), request.Diversity > 0, user.History),
            policy);

        var pressure = rerank ? exposure.Pressure([.. pool.Select(c => c.ItemId)]) : new float[pool.Count];
        var relevance = Reranking.ExposureAdjusted([.. pool.Select(c => c.Score)], pressure, request.PopularityPenalty);
        var chosen = request.Diversity > 0
            ? Reranking.Mmr(relevance, [.. pool.Select(c => c.Vector!)], request.Count, request.Diversity)
            : [.. Enumerable.Range(0, pool.Count).OrderByDescending(i => relevance[i]).ThenBy(i => i).Take(request.Count)];
        var personalized = !VectorMath.IsZero(user.Vector) || user.History.Length > 0;
        var answer = chosen.Select(i => new RecommendedItem(pool[i].ItemId, pool[i].Score, Reason(pool[i], personalized, user.TopCategories, request.Category))).ToArray();

        var reserve = Enumerable.Range(0, pool.Count).Except(chosen).ToList();
        foreach (var (slot, candidate) in Reranking.Exploration(answer.Length, [.. reserve.Select(i => pressure[i])], request.Explore, random))
        {
            var item = pool[reserve[candidate]];
            answer[slot] = new RecommendedItem(item.ItemId, item.Score, "exploring: something new for you");
        }

        exposure.Record(answer.Select(a => a.ItemId));
        return answer;
    }

    /// <summary>Why an item is listed, in words a person understands.</summary>
    public static string Reason(ScoredItem item, bool personalized, string[] topCategories, string? category)
    {
        if (personalized)
        {
            var shared = item.Categories.FirstOrDefault(topCategories.Contains);
            return shared is not null ? $"matches your interest in {shared}" : "close to what you engaged with recently";
        }

        return category is not null ? $"popular in {category}" : "popular right now";
    }
}

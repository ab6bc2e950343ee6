using System.Globalization;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Gateway.Recommending;

/// <summary>
/// The gateway's recommendation service: a user's list (re-ranked, see <see cref="UserRecommendations"/>) with its
/// exposure recorded for oversight, exercises to practice, similar items, and popular items; every grain call through
/// the resilience policy.
/// </summary>
public sealed class Recommender(
    IGrainFactory grains,
    IGrainCallPolicy policy,
    IOptions<CatalogOptions> catalog,
    ExposureReporter exposureReporter,
    TimeProvider clock)
{
    private readonly ExposureLedger _exposure = new();

    public async Task<RecommendedItem[]> ForUserAsync(string userId, RecommendationRequest request)
    {
        var answer = await grains.RecommendForUserAsync(catalog.Value, userId, request, clock.GetUtcNow(), Random.Shared, _exposure, policy);

        exposureReporter.Served([.. answer.Select(a => a.ItemId)], clock.GetUtcNow());
        return answer;
    }

    /// <summary>
    /// Learning mode: exercises of the learner's weakest skills whose predicted success is nearest
    /// <paramref name="targetSuccess"/>, each with the skill, its mastery and the predicted success as its reason.
    /// </summary>
    public async Task<RecommendedItem[]> PracticeAsync(string userId, double targetSuccess, int count, string[] exclude)
    {
        // Practice may propose an exercise the learner answered before: repetition is part of practice.
        var candidates = await grains.PracticeAsync(catalog.Value, userId, targetSuccess, count, exclude, clock.GetUtcNow(), policy);
        return [.. candidates.Select(c => new RecommendedItem(
            c.ItemId, (float)c.Score, string.Create(CultureInfo.InvariantCulture, $"practice {c.Skill}: mastery {c.Mastery:F2}, predicted success {c.PCorrect:F2}")))];
    }

    /// <summary>Items closest to <paramref name="itemId"/>'s vector; null when the item was never seen.</summary>
    public async Task<RecommendedItem[]?> SimilarAsync(string itemId, int count)
    {
        var vector = await policy.CallAsync(() => grains.Shard(catalog.Value.ShardOf(itemId)).GetVectorAsync(itemId));
        if (vector is null)
        {
            return null;
        }

        VectorMath.Normalize(vector);
        var pool = await FanOutAsync(vector, 0, null, [itemId], count, includeVectors: false, [(itemId, 1f)]);
        return [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, $"similar to {itemId}"))];
    }

    public async Task<RecommendedItem[]> PopularAsync(int count, string? category)
    {
        var pool = await FanOutAsync([], 1, category, [], count, includeVectors: false);
        return [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, UserRecommendations.Reason(c, false, [], category)))];
    }

    private Task<List<ScoredItem>> FanOutAsync(
        float[] vector, float popularityWeight, string? category, IEnumerable<string> exclude, int count, bool includeVectors,
        (string ItemId, float Weight)[]? history = null) =>
        grains.RecommendAsync(
            catalog.Value,
            new ShardQuery(vector, popularityWeight, category, [.. exclude], count, CatalogFanOut.StableAsOf(clock.GetUtcNow()), includeVectors, history ?? []),
            policy);
}

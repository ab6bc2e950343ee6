using System.Globalization;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Services;

/// <summary>
/// Lists of items: a user's (the user grain's query, the fan-out to every catalog shard, then re-ranking: popularity
/// penalty, diversity by MMR, exploration slots; each served list recorded for exposure), exercises to practice,
/// similar items and popular items, every item with a reason.
/// </summary>
/// <param name="random">Exploration's dice: <see cref="Random.Shared"/> unless the host registers its own (the bench seeds one).</param>
/// <param name="localUsers">The users active in this process, read in place; none in a process without a silo.</param>
public sealed class RecommendationService(
    IGrainFactory grains,
    IGrainCallPolicy policy,
    CatalogClient catalog,
    LearnerService learners,
    ExposureReporter exposureReporter,
    Random random,
    TimeProvider clock,
    ILocalUsers? localUsers = null)
{
    /// <summary>How many candidates per requested item re-ranking looks at: deep enough to reach less exposed items.</summary>
    private const int PoolFactor = 20;

    /// <summary>The pool's bound for long lists, which have depth of their own.</summary>
    private const int MaxPool = 500;

    /// <summary>What this process has served lately: the pressure that re-ranking spreads exposure with.</summary>
    private readonly ExposureLedger _exposure = new();

    /// <summary>
    /// The user's list. <paramref name="asOf"/>: the time of the request, now unless a replay has its own clock (the bench).
    /// </summary>
    public async Task<RecommendedItem[]> ForUserAsync(string userId, RecommendationRequest request, DateTimeOffset? asOf = null)
    {
        var at = asOf ?? clock.GetUtcNow();
        // Read in place when the user's grain is active in this process, else (or during a change of it) called.
        var user = localUsers?.TryGetQuery(userId, request.SessionId, request.ExcludeSeen, at, out var local) == true
            ? local
            : await policy.CallAsync(() => grains.User(userId).GetQueryAsync(request.SessionId, request.ExcludeSeen, at));
        var rerank = request.Diversity > 0 || request.Explore > 0 || request.PopularityPenalty > 0;
        var pool = await catalog.RecommendAsync(new ShardQuery(
            user.Vector, user.PopularityWeight, request.Category, [.. user.Seen, .. request.Exclude],
            rerank ? Math.Max(request.Count, Math.Min(request.Count * PoolFactor, MaxPool)) : request.Count, StableAsOf(at), request.Diversity > 0, user.History));

        var reasons = new ListReasons(pool, user.PopularityWeight, user.TopCategories, request.Category);
        // With every control at zero the shards' merge (best first, ties by item id) is the list as it is.
        var answer = rerank ? Rerank(pool, request, reasons) : [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, reasons.For(c)))];
        _exposure.Record(answer.Select(a => a.ItemId));
        exposureReporter.Served([.. answer.Select(a => a.ItemId)], clock.GetUtcNow());
        return answer;
    }

    /// <summary>Popularity penalty, diversity (MMR) and exploration slots over a pool deeper than the list.</summary>
    private RecommendedItem[] Rerank(List<ScoredItem> pool, RecommendationRequest request, ListReasons reasons)
    {
        var pressure = _exposure.Pressure([.. pool.Select(c => c.ItemId)]);
        var relevance = Reranking.ExposureAdjusted([.. pool.Select(c => c.Score)], pressure, request.PopularityPenalty);
        var chosen = request.Diversity > 0
            ? Reranking.Mmr(relevance, [.. pool.Select(c => c.Vector!)], request.Count, request.Diversity)
            : [.. Enumerable.Range(0, pool.Count).OrderByDescending(i => relevance[i]).ThenBy(i => i).Take(request.Count)];
        var answer = chosen.Select(i => new RecommendedItem(pool[i].ItemId, pool[i].Score, reasons.For(pool[i]))).ToArray();

        var reserve = Enumerable.Range(0, pool.Count).Except(chosen).ToList();
        foreach (var (slot, candidate) in Reranking.Exploration(answer.Length, [.. reserve.Select(i => pressure[i])], request.Explore, random))
        {
            var item = pool[reserve[candidate]];
            answer[slot] = new RecommendedItem(item.ItemId, item.Score, "exploring: something new for you");
        }

        return answer;
    }

    /// <summary>
    /// Learning mode: exercises of the learner's weakest skills first, within a skill those whose predicted success is
    /// nearest <paramref name="targetSuccess"/> (<see cref="PracticeOrder"/>), each with the skill, its mastery and the
    /// predicted success as its reason. The score is 1 - |predicted success - target|: it compares exercises of one
    /// skill, while the list is ordered by skill first.
    /// </summary>
    public async Task<RecommendedItem[]> PracticeAsync(string userId, double targetSuccess, int count, string[] exclude)
    {
        var candidates = await learners.PracticeAsync(userId, targetSuccess, count, exclude);
        return [.. candidates.Select(c => new RecommendedItem(c.ItemId, (float)(1 - c.Distance), PracticeReason(c)))];
    }

    /// <summary>"practice fractions: mastery 0.31, predicted success 0.68", or "review ..." for a skill estimated mastered.</summary>
    private static string PracticeReason(PracticeCandidate c) =>
        string.Create(CultureInfo.InvariantCulture, $"{(c.Review ? "review" : "practice")} {c.Skill}: mastery {c.Mastery:F2}, predicted success {c.PCorrect:F2}");

    /// <summary>Items closest to <paramref name="itemId"/>'s vector; null when the item was never seen.</summary>
    public async Task<RecommendedItem[]?> SimilarAsync(string itemId, int count)
    {
        var vector = await catalog.GetVectorAsync(itemId);
        if (vector is null)
        {
            return null;
        }

        VectorMath.Normalize(vector);
        var pool = await FanOutAsync(vector, 0, null, [itemId], count, [(itemId, 1f)]);
        var reasons = new ListReasons(pool, 0, [], null);
        return [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, reasons.ForSimilar(c, itemId)))];
    }

    public async Task<RecommendedItem[]> PopularAsync(int count, string? category)
    {
        const float popularityOnly = 1;
        var pool = await FanOutAsync([], popularityOnly, category, [], count, []);
        var reasons = new ListReasons(pool, popularityOnly, [], category);
        return [.. pool.Select(c => new RecommendedItem(c.ItemId, c.Score, reasons.For(c)))];
    }

    private Task<List<ScoredItem>> FanOutAsync(
        float[] vector, float popularityWeight, string? category, string[] exclude, int count, (string ItemId, float Weight)[] history) =>
        catalog.RecommendAsync(new ShardQuery(vector, popularityWeight, category, exclude, count, StableAsOf(clock.GetUtcNow()), false, history));

    /// <summary>
    /// The request time as the shards see it, to the minute: time-decayed popularity then gives identical requests a
    /// moment apart the same answer ("without new events, the same answer").
    /// </summary>
    private static DateTimeOffset StableAsOf(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}

using Personalization.Bench.Data;
using Personalization.Model;

namespace Personalization.Bench.Eval;

/// <summary>Hit rate of one stretch of a prequential run.</summary>
public sealed record WindowPoint(int Events, double HitRateAt10, double PopularityHitRateAt10);

/// <summary>The figures of one run (one seed) of one protocol.</summary>
public sealed record RunResult(MetricSet Service, MetricSet Popularity, int Lists, IReadOnlyList<WindowPoint>? Window);

/// <summary>The three evaluation protocols (docs/quality.md). Each starts from an empty service.</summary>
public static class Protocols
{
    public const string RandomSplit = "random-split";
    public const string Prequential = "prequential";
    public const string LeaveOneOut = "leave-one-out";

    public static readonly string[] All = [RandomSplit, Prequential, LeaveOneOut];

    private const int K = 10;
    private const double TrainShare = 0.75;

    /// <summary>
    /// 75/25 split stratified by item; training ratings replayed in time order; then each user with test items gets a
    /// top-10 over every item not seen in training. With <paramref name="validation"/> the training part is split again
    /// the same way and the run is judged on that validation part: the test part is never looked at (for tuning).
    /// </summary>
    public static async Task<RunResult> RandomSplitAsync(DataSet data, IRecommenderTarget target, int seed, bool validation)
    {
        var (train, test) = Splits.ByItem(data.Interactions, TrainShare, seed);
        if (validation)
        {
            (train, test) = Splits.ByItem(train, TrainShare, seed + 1_000_003);
        }

        await target.UpsertItemsAsync(data.Items, data.Categories);
        var ordered = DataSet.InTimeOrder(train);
        await target.RecordAsync(ordered);

        var popularity = new Popularity(data.Items);
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var rating in train)
        {
            popularity.Add(rating.ItemId);
            SeenBy(seen, rating.UserId).Add(rating.ItemId);
        }

        var asOf = ordered[^1].Timestamp;
        var service = new RankingEvaluation(K);
        var baseline = new RankingEvaluation(K);
        foreach (var user in test.GroupBy(r => r.UserId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var relevant = user.Select(r => r.ItemId).ToHashSet(StringComparer.Ordinal);
            service.Add(await target.RecommendAsync(user.Key, K, asOf), relevant);
            baseline.Add(popularity.Top(K, SeenBy(seen, user.Key)), relevant);
        }

        return Result(data, popularity, service, baseline, null);
    }

    /// <summary>
    /// Every event in time order; before it is applied, the user's top-10 is asked for and a hit counts when it holds
    /// the event's item. Hit rate also per window of <paramref name="window"/> events, so that drift shows. With
    /// <paramref name="validation"/> only the first half of the stream is played (for tuning).
    /// </summary>
    public static async Task<RunResult> PrequentialAsync(DataSet data, IRecommenderTarget target, int window, bool validation)
    {
        await target.UpsertItemsAsync(data.Items, data.Categories);
        var popularity = new Popularity(data.Items);
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var service = new RankingEvaluation(K);
        var baseline = new RankingEvaluation(K);
        var points = new List<WindowPoint>();
        double windowHits = 0, windowBaselineHits = 0;
        var events = DataSet.InTimeOrder(data.Interactions);
        if (validation)
        {
            events = events[..(events.Count / 2)];
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var relevant = new HashSet<string>(StringComparer.Ordinal) { e.ItemId };
            var ranked = await target.RecommendAsync(e.UserId, K, e.Timestamp);
            var popular = popularity.Top(K, SeenBy(seen, e.UserId));
            service.Add(ranked, relevant);
            baseline.Add(popular, relevant);
            windowHits += RankingMetrics.HitRate(ranked, relevant, K);
            windowBaselineHits += RankingMetrics.HitRate(popular, relevant, K);

            await target.RecordAsync([e]);
            popularity.Add(e.ItemId);
            SeenBy(seen, e.UserId).Add(e.ItemId);
            var inWindow = (i % window) + 1;
            if (inWindow == window || i == events.Count - 1)
            {
                points.Add(new WindowPoint(i + 1, windowHits / inWindow, windowBaselineHits / inWindow));
                (windowHits, windowBaselineHits) = (0, 0);
            }
        }

        return Result(data, popularity, service, baseline, points);
    }

    /// <summary>
    /// Each user's latest interaction held out and ranked among 99 sampled items the user never interacted with.
    /// Through HTTP only the first <see cref="IRecommenderTarget.MaxCount"/> items of the answer are known: a held-out
    /// item beyond them counts as a miss.
    /// </summary>
    public static async Task<RunResult> LeaveOneOutAsync(DataSet data, IRecommenderTarget target, int seed)
    {
        const int Negatives = 99;
        var (train, heldOut) = Splits.LatestPerUser(data.Interactions);
        await target.UpsertItemsAsync(data.Items, data.Categories);
        var ordered = DataSet.InTimeOrder(train);
        await target.RecordAsync(ordered);

        var popularity = new Popularity(data.Items);
        foreach (var rating in train)
        {
            popularity.Add(rating.ItemId);
        }

        var interacted = data.Interactions.GroupBy(i => i.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var random = new DeterministicRandom((ulong)seed);
        var asOf = ordered[^1].Timestamp;
        var service = new RankingEvaluation(K);
        var baseline = new RankingEvaluation(K);
        foreach (var (user, held) in heldOut.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var pool = data.Items.Where(i => !interacted[user].Contains(i)).ToList();
            var candidates = new HashSet<string>(StringComparer.Ordinal) { held.ItemId };
            while (candidates.Count < Math.Min(Negatives, pool.Count) + 1)
            {
                candidates.Add(pool[random.Next(pool.Count)]);
            }

            var relevant = new HashSet<string>(StringComparer.Ordinal) { held.ItemId };
            var ranked = await target.RecommendAsync(user, Math.Min(target.MaxCount, data.Items.Count), asOf);
            service.Add([.. ranked.Where(candidates.Contains).Take(K)], relevant);
            baseline.Add([.. popularity.Rank(candidates).Take(K)], relevant);
        }

        return Result(data, popularity, service, baseline, null);
    }

    private static RunResult Result(DataSet data, Popularity popularity, RankingEvaluation service, RankingEvaluation baseline, List<WindowPoint>? window)
    {
        var counts = popularity.Counts();
        return new RunResult(
            service.Result(data.Items.Count, counts, data.UserCount),
            baseline.Result(data.Items.Count, counts, data.UserCount),
            service.Lists,
            window);
    }

    private static HashSet<string> SeenBy(Dictionary<string, HashSet<string>> seen, string userId)
    {
        if (!seen.TryGetValue(userId, out var items))
        {
            seen[userId] = items = new HashSet<string>(StringComparer.Ordinal);
        }

        return items;
    }
}

using Personalization.Model;

namespace Personalization.Interfaces;

/// <summary>
/// The ingest path, as a client of the cluster runs it (the gateway; the bench in process). Per request, every catalog
/// shard is called at most twice however many users the request spans: for the items' vectors before the learning
/// steps, and to apply the item halves and count co-occurrences. Each user's grain is called once, in between, and
/// answers once its events are durable.
/// </summary>
public static class EventIngest
{
    public static async Task<RecordResult> RecordEventsAsync(
        this IGrainFactory grains,
        IReadOnlyList<(string UserId, UserEvent Event)> events,
        CatalogOptions catalog,
        LearningOptions learning,
        IGrainCallPolicy? policy = null)
    {
        policy ??= IGrainCallPolicy.Direct;
        var negativesWanted = learning.NegativeSamples * events.Count;
        var itemsByShard = events.Select(e => e.Event.ItemId).Distinct(StringComparer.Ordinal).GroupBy(catalog.ShardOf).ToList();
        var contexts = await policy.CallEachAsync(itemsByShard, shard =>
            grains.Shard(shard.Key).PrepareInteractionsAsync([.. shard], (negativesWanted + itemsByShard.Count - 1) / itemsByShard.Count));
        var vectors = contexts.SelectMany(c => c.Items).ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        var exercises = contexts.SelectMany(c => c.Exercises).ToDictionary(e => e.ItemId, StringComparer.Ordinal);
        var negatives = contexts.SelectMany(c => c.Negatives).ToArray();

        var next = 0;
        var users = events.GroupBy(e => e.UserId, StringComparer.Ordinal).Select(user =>
        {
            var userEvents = user.Select(e => e.Event).ToArray();
            var itemIds = userEvents.Select(e => e.ItemId).Distinct(StringComparer.Ordinal).ToArray();
            var context = new InteractionContext(
                [.. itemIds.Select(id => vectors[id])],
                Share(negatives, ref next, learning.NegativeSamples * userEvents.Length),
                [.. itemIds.Where(exercises.ContainsKey).Select(id => exercises[id])]);
            return (UserId: user.Key, Events: userEvents, Context: context);
        }).ToList();
        var outcomes = await policy.CallEachAsync(users, user => grains.User(user.UserId).RecordEventsAsync(user.Events, user.Context));

        var itemHalves = outcomes
            .Where(o => o.ItemHalf is not null)
            .SelectMany(o => ByShard(o.ItemHalf!, catalog))
            .ToLookup(part => part.Shard, part => part.Batch);
        var engagements = EngagementsByShard(outcomes.SelectMany(o => o.Engagements).ToArray(), catalog);
        int[] touched = [.. CatalogFanOut.Shards(catalog).Where(shard => itemHalves.Contains(shard) || engagements[shard].Length > 0)];
        await policy.CallEachAsync(touched, async shard =>
        {
            await grains.Shard(shard).ApplyInteractionsAsync([.. itemHalves[shard]], engagements[shard]);
            return true;
        });
        return new RecordResult(outcomes.Sum(o => o.Accepted), outcomes.Sum(o => o.Duplicates));
    }

    /// <summary>
    /// Every shard counts users per item, so every shard hears of every first engagement, once per request; of the
    /// earlier items it hears all when it owns the engaged item (that item pairs with each), else only its own.
    /// Indexed by shard; empty when the request had no first engagement.
    /// </summary>
    private static Engagement[][] EngagementsByShard(Engagement[] engagements, CatalogOptions catalog)
    {
        var parts = Enumerable.Range(0, catalog.ShardCount).Select(_ => new List<Engagement>(engagements.Length)).ToArray();
        foreach (var engagement in engagements)
        {
            var owner = catalog.ShardOf(engagement.ItemId);
            var owners = Array.ConvertAll(engagement.Previous, catalog.ShardOf);
            for (var shard = 0; shard < parts.Length; shard++)
            {
                parts[shard].Add(shard == owner ? engagement : engagement with { Previous = [.. engagement.Previous.Where((_, i) => owners[i] == shard)] });
            }
        }

        return [.. parts.Select(part => part.ToArray())];
    }

    /// <summary>One user's item half cut into the parts each shard owns (signals and answers on its items).</summary>
    private static IEnumerable<(int Shard, InteractionBatch Batch)> ByShard(InteractionBatch half, CatalogOptions catalog)
    {
        var signals = half.Signals.ToLookup(s => catalog.ShardOf(s.ItemId));
        var answers = half.Answers.ToLookup(a => catalog.ShardOf(a.ItemId));
        return signals.Select(g => g.Key).Union(answers.Select(g => g.Key))
            .Select(shard => (shard, half with { Signals = [.. signals[shard]], Answers = [.. answers[shard]] }));
    }

    /// <summary>The next <paramref name="count"/> negatives of the pool, round robin, so that users of a request share it.</summary>
    private static ItemVector[] Share(ItemVector[] pool, ref int next, int count)
    {
        if (pool.Length == 0)
        {
            return [];
        }

        var share = new ItemVector[Math.Min(count, pool.Length)];
        for (var i = 0; i < share.Length; i++)
        {
            share[i] = pool[next++ % pool.Length];
        }

        return share;
    }
}

using Personalization.Model;

namespace Personalization.Interfaces;

/// <summary>
/// The ingest path, as a client of the cluster runs it (the gateway; the bench in process). Per request, every catalog
/// shard is called at most twice however many users the request spans: for the items' vectors before the learning
/// steps, and to apply the item halves and count co-occurrences. Each user's grain is called once, in between, and
/// answers once its events are durable; with several silos, through one router call per silo.
/// </summary>
public static class EventIngest
{
    public static async Task<RecordResult> RecordEventsAsync(
        this IGrainFactory grains,
        IReadOnlyList<(string UserId, UserEvent Event)> events,
        CatalogOptions catalog,
        LearningSettings learning,
        IGrainCallPolicy? policy = null,
        int silos = 1)
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
            return new UserEvents(user.Key, userEvents, context);
        }).ToList();
        var outcomes = silos > 1
            ? await RecordThroughRoutersAsync(grains, users, silos, policy)
            : await policy.CallEachAsync(users, user => grains.User(user.UserId).RecordEventsAsync(user.Events, user.Context));

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
    /// The users' calls in one message per silo, through the router there. A retry sends again only the users whose
    /// call failed (with several failures, all of them decide whether to retry), so no user is called twice.
    /// </summary>
    private static async Task<RecordOutcome[]> RecordThroughRoutersAsync(
        IGrainFactory grains, List<UserEvents> users, int silos, IGrainCallPolicy policy)
    {
        var outcomes = new RecordOutcome?[users.Count];
        var bySilo = Enumerable.Range(0, users.Count).GroupBy(i => SiloRouting.SiloOf(grains.User(users[i].UserId), silos)).ToList();
        await policy.CallEachAsync(bySilo, async silo =>
        {
            int[] pending = [.. silo.Where(i => outcomes[i] is null)];
            var routed = await grains.Router(silo.Key, silos).RecordEventsAsync([.. pending.Select(i => users[i])]);
            var failures = new List<Exception>();
            for (var k = 0; k < pending.Length; k++)
            {
                if (routed[k].Failure is { } failure)
                {
                    failures.Add(failure);
                }
                else
                {
                    outcomes[pending[k]] = routed[k].Outcome;
                }
            }

            if (failures.Count > 0)
            {
                throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
            }

            return true;
        });
        return outcomes!;
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

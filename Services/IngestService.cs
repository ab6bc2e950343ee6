using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Services;

/// <summary>
/// What came of an ingest request: recorded, or rejected whole for these events (by index): answers to non-exercises,
/// events on unknown items the full catalog cannot take (<see cref="CatalogOptions.MaxItems"/>).
/// </summary>
public sealed record IngestResult(RecordResult? Recorded, int[] NotExercises, int[] CatalogFull);

/// <summary>
/// The ingest path. Per request, every catalog shard is called at most three times however many users the request
/// spans: to read which items are new (the catalog cap; only near the cap or once a second), for the items' vectors
/// before the learning steps, and to apply the item halves and count co-occurrences (and once more to read the
/// answered items when there are answers). Each
/// user's grain is called once, in between, and answers once its events are durable.
/// </summary>
public sealed class IngestService(IGrainFactory grains, IGrainCallPolicy policy, CatalogClient catalog, IOptions<LearningOptions> learning)
{
    private readonly LearningOptions _learning = learning.Value;

    /// <summary>
    /// Records a validated batch, unless an answer is to an item not known as an exercise (one with skills) or an event
    /// names an unknown item past the catalog's cap: both are checked first, by reading only, so that nothing of a
    /// rejected batch is applied. Below the cap an unknown item is created by its first event.
    /// </summary>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<(string UserId, UserEvent Event)> events)
    {
        int[] answers = [.. Enumerable.Range(0, events.Count).Where(i => events[i].Event.Type == EventSignal.Answer)];
        if (answers.Length > 0)
        {
            var items = await catalog.GetItemsAsync(answers.Select(i => events[i].Event.ItemId));
            var exercises = items.Where(i => i.Skills.Length > 0).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            int[] notExercises = [.. answers.Where(i => !exercises.Contains(events[i].Event.ItemId))];
            if (notExercises.Length > 0)
            {
                return new IngestResult(null, notExercises, []);
            }
        }

        var refused = await catalog.RefusedNewItemsAsync(events.Select(e => e.Event.ItemId));
        if (refused.Count > 0)
        {
            return new IngestResult(null, [], [.. Enumerable.Range(0, events.Count).Where(i => refused.Contains(events[i].Event.ItemId))]);
        }

        return new IngestResult(await RecordAsync(events), [], []);
    }

    /// <summary>Records events of any number of users; the bench replays data sets through this directly.</summary>
    public async Task<RecordResult> RecordAsync(IReadOnlyList<(string UserId, UserEvent Event)> events)
    {
        var contexts = await catalog.PrepareInteractionsAsync(events.Select(e => e.Event.ItemId), _learning.NegativeSamples * events.Count);
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
                Share(negatives, ref next, _learning.NegativeSamples * userEvents.Length),
                [.. itemIds.Where(exercises.ContainsKey).Select(id => exercises[id])]);
            return (UserId: user.Key, Events: userEvents, Context: context);
        }).ToList();
        var outcomes = await policy.CallEachAsync(users, user => grains.User(user.UserId).RecordEventsAsync(user.Events, user.Context));

        await catalog.ApplyInteractionsAsync(outcomes);
        return new RecordResult(outcomes.Sum(o => o.Accepted), outcomes.Sum(o => o.Duplicates));
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

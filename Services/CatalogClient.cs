using Microsoft.Extensions.Options;
using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>
/// The catalog as a client sees it: one object over every shard. The only client-side code that knows which shard owns
/// an item (<see cref="CatalogOptions.ShardOf"/>); every call goes through the call policy. A recommendation scans the
/// shards active in this process in place (<paramref name="localShards"/>) and calls the others.
/// </summary>
public sealed class CatalogClient(
    IGrainFactory grains, IGrainCallPolicy policy, IOptions<CatalogOptions> options, ILocalCatalogShards? localShards = null)
{
    private readonly CatalogOptions _catalog = options.Value;

    /// <summary>Every shard number, for a call to each.</summary>
    private readonly int[] _shards = [.. Enumerable.Range(0, options.Value.ShardCount)];

    /// <summary>
    /// Each shard's room for new items as it last reported it. Asking on every ingest request would cost a call per
    /// shard while the catalog is nowhere near its cap: a shard with ample room is trusted for a while instead.
    /// </summary>
    private readonly ShardRoom?[] _room = new ShardRoom?[options.Value.ShardCount];

    /// <summary>
    /// Items a shard takes in one call. A call must end well within the call policy's per-try timeout even on a busy
    /// machine: a try that runs out is abandoned and sent again, so an import's large batch in one call could be
    /// retried until the budget is spent and answered 503.
    /// </summary>
    public const int UpsertChunk = 4_096;

    /// <summary>Creates or replaces items, returning once durable: the shards in parallel, each in chunks one after the other.</summary>
    public Task UpsertAsync(IReadOnlyList<ItemUpsert> items) =>
        Task.WhenAll(items
            .GroupBy(item => _catalog.ShardOf(item.Id))
            .Select(async shard =>
            {
                foreach (var chunk in shard.Chunk(UpsertChunk))
                {
                    await policy.CallAsync(() => grains.Shard(shard.Key).UpsertItemsAsync(chunk));
                }
            }));

    /// <summary>Upserts batch after batch; the next batch is read (parsed) while the shards take the previous one.</summary>
    public async Task ImportAsync(IAsyncEnumerable<IReadOnlyList<ItemUpsert>> batches)
    {
        var sending = Task.CompletedTask;
        await foreach (var batch in batches)
        {
            await sending;
            sending = UpsertAsync(batch);
        }

        await sending;
    }

    /// <summary>The item's metadata and interaction count, or null when never seen.</summary>
    public Task<ItemDetails?> GetAsync(string itemId) => policy.CallAsync(() => Owner(itemId).GetItemAsync(itemId));

    /// <summary>Soft-deletes an item; false when it was never seen.</summary>
    public Task<bool> DeactivateAsync(string itemId) => policy.CallAsync(() => Owner(itemId).DeactivateItemAsync(itemId));

    /// <summary>The item's current vector, or null when never seen.</summary>
    public Task<float[]?> GetVectorAsync(string itemId) => policy.CallAsync(() => Owner(itemId).GetVectorAsync(itemId));

    /// <summary>The metadata of those of <paramref name="itemIds"/> the catalog has seen: one call per owning shard.</summary>
    public async Task<ItemDetails[]> GetItemsAsync(IEnumerable<string> itemIds)
    {
        var items = await policy.CallEachAsync(ByShard(itemIds), shard => grains.Shard(shard.Key).GetItemsAsync([.. shard]));
        return [.. items.SelectMany(i => i)];
    }

    /// <summary>A page of the whole catalog: every shard's page merged in item id order, at most <see cref="ItemListQuery.Count"/>.</summary>
    public async Task<ItemDetails[]> ListAsync(ItemListQuery query)
    {
        var pages = await policy.CallEachAsync(_shards, shard => grains.Shard(shard).ListItemsAsync(query));
        return [.. pages.SelectMany(p => p).OrderBy(i => i.Id, StringComparer.Ordinal).Take(query.Count)];
    }

    /// <summary>
    /// Those of <paramref name="itemIds"/> the catalog would have to create beyond <see cref="CatalogOptions.MaxItems"/>:
    /// unknown items of a shard past its room (the later ones, in the order given). Reads only, so that a request naming
    /// any is refused before anything of it is applied. Requests in flight at once may each take the same room: the cap
    /// is exceeded by at most their new items.
    /// </summary>
    public async Task<HashSet<string>> RefusedNewItemsAsync(IEnumerable<string> itemIds)
    {
        var now = Environment.TickCount64;
        var unsure = ByShard(itemIds).Where(shard => !(_room[shard.Key] is { } known && known.IsAmple(now))).ToArray();
        var answers = unsure.Length == 0 ? [] : await AskNewItemsAsync(unsure);
        return answers.SelectMany(a => a.Answer.Unknown.Skip(a.Answer.Room)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Each owning shard's answer on which of <paramref name="itemIds"/> it has never seen: one call per shard.</summary>
    internal Task<(int Shard, NewItems Answer)[]> NewItemsByShardAsync(IEnumerable<string> itemIds) => AskNewItemsAsync(ByShard(itemIds));

    private Task<(int Shard, NewItems Answer)[]> AskNewItemsAsync(IGrouping<int, string>[] byShard) =>
        policy.CallEachAsync(byShard, async shard =>
        {
            var answer = await grains.Shard(shard.Key).NewItemsAsync([.. shard]);
            _room[shard.Key] = new ShardRoom(answer.Room, Environment.TickCount64);
            return (shard.Key, answer);
        });

    /// <summary>Every shard's room for new items now, for an import that counts its ids against it (<see cref="ImportRoom"/>).</summary>
    public async Task<ImportRoom> ImportRoomAsync() =>
        new(this, _catalog, await policy.CallEachAsync(_shards, shard => grains.Shard(shard).NewItemsAsync([])));

    /// <summary>
    /// Sends <paramref name="query"/> to every shard, each with only the exclusions it owns, and merges their top
    /// candidates: best first, ties by item id, at most <see cref="ShardQuery.Count"/>.
    /// </summary>
    public async Task<List<ScoredItem>> RecommendAsync(ShardQuery query)
    {
        // A repeated id costs nothing (each shard makes a set of its exclusions), so no set is built here.
        var excludeByShard = new List<string>?[_shards.Length];
        foreach (var id in query.Exclude)
        {
            (excludeByShard[_catalog.ShardOf(id)] ??= []).Add(id);
        }

        ShardQuery Owned(int shard) => query with { Exclude = excludeByShard[shard]?.ToArray() ?? [] };

        var local = new List<(ILocalCatalogShard Scan, ShardQuery Query)>(_shards.Length);
        var remote = new List<int>();
        foreach (var shard in _shards)
        {
            if (localShards?.Find(shard) is { } scan)
            {
                local.Add((scan, Owned(shard)));
            }
            else
            {
                remote.Add(shard);
            }
        }

        // Shards of other processes are called first, so that their answers travel while this process scans its own.
        var calling = remote.Count == 0
            ? Task.FromResult<ScoredItem[][]>([])
            : policy.CallEachAsync(remote, shard => grains.Shard(shard).RecommendAsync(Owned(shard)));

        // The shards of this process are scanned in place, outside the call policy: no message to lose or time out.
        // Waiting for a shard that another request is scanning costs a thread hop, so a busy shard is tried again after
        // the free ones, and waited for only if it is still busy then.
        var answers = new List<ScoredItem[]>(_shards.Length);
        List<(ILocalCatalogShard Scan, ShardQuery Query)> ScanFree(List<(ILocalCatalogShard Scan, ShardQuery Query)> shards)
        {
            var busy = new List<(ILocalCatalogShard, ShardQuery)>();
            foreach (var (scan, owned) in shards)
            {
                if (scan.TryRecommend(owned, out var answer))
                {
                    answers.Add(answer);
                }
                else
                {
                    busy.Add((scan, owned));
                }
            }

            return busy;
        }

        answers.AddRange(await Task.WhenAll(ScanFree(ScanFree(local)).Select(busy => busy.Scan.RecommendAsync(busy.Query))));
        answers.AddRange(await calling);
        return [.. answers
            .SelectMany(r => r)
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.ItemId, StringComparer.Ordinal)
            .Take(query.Count)];
    }

    /// <summary>Predicted success of the learner on each of <paramref name="itemIds"/> that is an exercise, in request order.</summary>
    public async Task<ExercisePrediction[]> PredictAsync(LearnerSnapshot learner, IReadOnlyList<string> itemIds, DateTimeOffset asOf)
    {
        var results = await policy.CallEachAsync(ByShard(itemIds), shard => grains.Shard(shard.Key).PredictAsync(learner, [.. shard], asOf));
        var byId = results.SelectMany(r => r).ToDictionary(p => p.ItemId, StringComparer.Ordinal);
        return [.. itemIds.Distinct(StringComparer.Ordinal).Where(byId.ContainsKey).Select(id => byId[id])];
    }

    /// <summary>Every shard's first exercises for practice, merged in <see cref="PracticeOrder"/>, at most <see cref="PracticeQuery.Count"/>.</summary>
    public async Task<PracticeCandidate[]> PracticeAsync(PracticeQuery query)
    {
        var results = await policy.CallEachAsync(_shards, shard => grains.Shard(shard).PracticeAsync(query));
        return [.. results.SelectMany(r => r).Order(PracticeOrder.Instance).Take(query.Count)];
    }

    /// <summary>For oversight: every shard's summary, each with the details of those exposed items it owns.</summary>
    public Task<CatalogSummary[]> SummariesAsync(IEnumerable<string> exposed, DateTimeOffset asOf)
    {
        var exposedByShard = exposed.ToLookup(_catalog.ShardOf);
        return policy.CallEachAsync(_shards, shard => grains.Shard(shard).GetSummaryAsync([.. exposedByShard[shard]], asOf));
    }

    /// <summary>
    /// The first half of ingest: the items' vectors (unknown items are created), sampled negatives and exercise
    /// parameters, one call per shard owning some of the items; the negatives wanted are split evenly over those shards.
    /// </summary>
    public Task<InteractionContext[]> PrepareInteractionsAsync(IEnumerable<string> itemIds, int negativesWanted)
    {
        var itemsByShard = ByShard(itemIds);
        return policy.CallEachAsync(itemsByShard, shard =>
            grains.Shard(shard.Key).PrepareInteractionsAsync([.. shard], (negativesWanted + itemsByShard.Length - 1) / itemsByShard.Length));
    }

    /// <summary>
    /// The last part of ingest: the users' item halves and first engagements, one call to each shard that owns an item
    /// of a half or hears of an engagement (every shard hears of every first engagement).
    /// </summary>
    public Task ApplyInteractionsAsync(IReadOnlyList<RecordOutcome> outcomes)
    {
        var itemHalves = outcomes
            .Where(o => o.ItemHalf is not null)
            .SelectMany(o => Split(o.ItemHalf!))
            .ToLookup(part => part.Shard, part => part.Batch);
        var engagements = EngagementsByShard([.. outcomes.SelectMany(o => o.Engagements)]);
        int[] touched = [.. _shards.Where(shard => itemHalves.Contains(shard) || engagements[shard].Length > 0)];
        return policy.CallEachAsync(touched, async shard =>
        {
            await grains.Shard(shard).ApplyInteractionsAsync([.. itemHalves[shard]], engagements[shard]);
            return true;
        });
    }

    private ICatalogShardGrain Owner(string itemId) => grains.Shard(_catalog.ShardOf(itemId));

    /// <summary>Each id once, grouped by the shard that owns it.</summary>
    private IGrouping<int, string>[] ByShard(IEnumerable<string> itemIds) =>
        [.. itemIds.Distinct(StringComparer.Ordinal).GroupBy(_catalog.ShardOf)];

    /// <summary>
    /// Every shard counts users per item, so every shard hears of every first engagement, once per request; of the
    /// earlier items it hears all when it owns the engaged item (that item pairs with each), else only its own.
    /// Indexed by shard; empty when the request had no first engagement.
    /// </summary>
    private Engagement[][] EngagementsByShard(Engagement[] engagements)
    {
        var parts = Array.ConvertAll(_shards, _ => new List<Engagement>(engagements.Length));
        foreach (var engagement in engagements)
        {
            var owner = _catalog.ShardOf(engagement.ItemId);
            var owners = Array.ConvertAll(engagement.Previous, _catalog.ShardOf);
            for (var shard = 0; shard < parts.Length; shard++)
            {
                parts[shard].Add(shard == owner ? engagement : engagement with { Previous = [.. engagement.Previous.Where((_, i) => owners[i] == shard)] });
            }
        }

        return [.. parts.Select(part => part.ToArray())];
    }

    /// <summary>One user's item half cut into the parts each shard owns (signals and answers on its items).</summary>
    private IEnumerable<(int Shard, InteractionBatch Batch)> Split(InteractionBatch half)
    {
        var signals = half.Signals.ToLookup(s => _catalog.ShardOf(s.ItemId));
        var answers = half.Answers.ToLookup(a => _catalog.ShardOf(a.ItemId));
        return signals.Select(g => g.Key).Union(answers.Select(g => g.Key))
            .Select(shard => (shard, half with { Signals = [.. signals[shard]], Answers = [.. answers[shard]] }));
    }
}


using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;
using Personalization.Grains.Telemetry;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Owns the items whose id hashes to this shard: their metadata, vectors, popularity and the co-occurrence counts and
/// learner-model weights learned beside them. What is stored, and when, is its <see cref="ShardStore"/>'s: metadata
/// changes before the call returns, the rest written behind.
/// </summary>
public sealed class CatalogShardGrain(
    [FromKeyedServices(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)] IGrainStorage storage,
    IOptions<LearningOptions> learning,
    IOptions<KnowledgeOptions> knowledge,
    IOptions<CatalogOptions> catalog,
    TimeProvider clock,
    SiloMetrics metrics,
    LocalCatalogShards localShards,
    ILogger<CatalogShardGrain> logger) : Grain, ICatalogShardGrain
{
    private readonly LearningOptions _settings = learning.Value;
    private readonly int _capacity = catalog.Value.ShardCapacity;
    private readonly LabelSets _labels = new();
    private readonly PopularityScores _popularity = new(learning.Value);
    private ShardStore _store = null!;
    private ShardItems _items = null!;
    private CoOccurrenceIndex _coOccurrence = null!;
    private ShardKnowledge _knowledge = null!;
    private DeterministicRandom _random;

    /// <summary>The recommendation scan, also run in place by a gateway of this process; every change of what it reads takes its turn.</summary>
    private ShardScan _scan = null!;

    private int Dimension => _settings.Dimension;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new ShardStore(storage, this.GetGrainId(), Dimension, clock, logger);
        await _store.ReadAsync(_labels);
        _items = _store.Items;
        _coOccurrence = new CoOccurrenceIndex(_store.Learned.Occurrences, _store.Pairs, _settings.SimilarityExponent, _store.RowChanged);
        _knowledge = new ShardKnowledge(_store.Learned, knowledge.Value);
        _scan = new ShardScan(_items, _coOccurrence, _popularity, _settings);
        for (var slot = 0; slot < _items.Count; slot++)
        {
            _coOccurrence.AddSlot(_items[slot].Id);
        }

        _random = new DeterministicRandom((ulong)this.GetPrimaryKeyLong() + 1);
        this.RegisterGrainTimer(_store.TickAsync, new GrainTimerCreationOptions(ShardStore.FlushInterval, ShardStore.FlushInterval) { KeepAlive = true });
        metrics.ShardActivated(this.GetPrimaryKeyLong(), _store);
        localShards.Activated(this.GetPrimaryKeyLong(), _scan);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        localShards.Deactivating(this.GetPrimaryKeyLong(), _scan);
        metrics.ShardDeactivated(this.GetPrimaryKeyLong());
        return _store.FlushAsync();
    }

    public async Task UpsertItemsAsync(ItemUpsert[] items)
    {
        using (await _scan.ChangeAsync())
        {
            Upsert(items);
        }

        await _store.StoreChangedPagesAsync();
    }

    private void Upsert(ItemUpsert[] items)
    {
        _items.EnsureCapacity(_items.Count + items.Length);
        foreach (var given in items)
        {
            var upsert = given with { Categories = _labels.Intern(given.Categories), Tags = _labels.Intern(given.Tags) };
            if (_items.TryGetSlot(upsert.Id, out var slot))
            {
                var item = _items[slot];
                var metadataChanged = !item.Categories.SequenceEqual(upsert.Categories) || !item.Tags.SequenceEqual(upsert.Tags);
                _labels.Release(item.Categories);
                _labels.Release(item.Tags);
                item.Categories = upsert.Categories;
                item.Tags = upsert.Tags;
                item.Active = upsert.Active;
                item.Skills = upsert.Skills;
                if (item.Answers == 0)
                {
                    item.Difficulty = upsert.Difficulty ?? 0;
                }

                if (metadataChanged && item.InteractionCount == 0)
                {
                    // Nothing learned yet: restart from the new metadata so the item lands among its peers.
                    _items.SetVector(slot, HashedEmbedding.ForItem(upsert.Id, upsert.Categories, upsert.Tags, _settings));
                }
            }
            else
            {
                var item = _items[AddItem(upsert.Id, upsert.Categories, upsert.Tags)];
                (item.Active, item.Skills, item.Difficulty) = (upsert.Active, upsert.Skills, upsert.Difficulty ?? 0);
            }
        }
    }

    public async Task<bool> DeactivateItemAsync(string itemId)
    {
        if (!_items.TryGetSlot(itemId, out var slot))
        {
            return false;
        }

        using (await _scan.ChangeAsync())
        {
            var item = _items[slot];
            item.Active = false;
        }

        await _store.StoreChangedPagesAsync();
        return true;
    }

    public Task<ItemDetails?> GetItemAsync(string itemId) =>
        Task.FromResult(_items.TryGetSlot(itemId, out var slot) ? Details(_items[slot]) : null);

    public Task<ItemDetails[]> GetItemsAsync(string[] itemIds) =>
        Task.FromResult(KnownSlots(itemIds).Select(slot => Details(_items[slot])).ToArray());

    public Task<ItemDetails[]> ListItemsAsync(ItemListQuery query) =>
        Task.FromResult(CatalogListing.Page(_items.All, query).Select(Details).ToArray());

    public Task<NewItems> NewItemsAsync(string[] itemIds) => Task.FromResult(new NewItems(
        [.. itemIds.Where(id => !_items.TryGetSlot(id, out _))], Math.Max(0, _capacity - _items.Count)));

    public Task<ExercisePrediction[]> PredictAsync(LearnerSnapshot learner, string[] itemIds, DateTimeOffset asOf) =>
        Task.FromResult(KnownSlots(itemIds)
            .Select(slot => _items[slot])
            .Where(item => item.Skills.Length > 0)
            .Select(item => new ExercisePrediction(item.Id, _knowledge.Predict(item, learner, asOf)))
            .ToArray());

    public Task<PracticeCandidate[]> PracticeAsync(PracticeQuery query) => Task.FromResult(_knowledge.Practice(_items.All, query));

    public Task<float[]?> GetVectorAsync(string itemId) =>
        Task.FromResult(_items.TryGetSlot(itemId, out var slot) ? _items.Vector(slot) : null);

    public async Task<InteractionContext> PrepareInteractionsAsync(string[] itemIds, int negativeSamples)
    {
        HashSet<int> slots;
        using (await _scan.ChangeAsync())
        {
            // Items never seen are created here.
            slots = itemIds.Select(SlotOf).ToHashSet();
        }

        return new InteractionContext(
            [.. slots.Select(ItemVectorOf)],
            SampleNegatives(negativeSamples, slots),
            [.. slots.Select(slot => _items[slot]).Where(item => item.Skills.Length > 0).Select(_knowledge.Parameters)]);
    }

    public async Task ApplyInteractionsAsync(InteractionBatch[] batches, Engagement[] engagements)
    {
        using (await _scan.ChangeAsync())
        {
            Apply(batches, engagements);
        }

        _store.LearnedChanged();
    }

    private void Apply(InteractionBatch[] batches, Engagement[] engagements)
    {
        foreach (var batch in batches)
        {
            foreach (var signal in batch.Signals)
            {
                var slot = SlotOf(signal.ItemId);
                Nudge(slot, batch.UserVector, signal.Weight);
                if (signal.SampledNegative)
                {
                    continue;
                }

                var item = _items[slot];
                item.InteractionCount++;
                if (signal.Weight > 0)
                {
                    _popularity.Add(slot, item, signal.Timestamp);
                }
            }

            foreach (var answer in batch.Answers)
            {
                _knowledge.Learn(_items[SlotOf(answer.ItemId)], answer);
            }
        }

        CountEngagements(engagements);
    }

    public Task<CatalogSummary> GetSummaryAsync(string[] itemIds, DateTimeOffset asOf)
    {
        // One pass, no list of the rows: at a million items a report's garbage would be large objects every minute.
        var popularity = new List<float>(_items.Count);
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var slot = 0; slot < _items.Count; slot++)
        {
            var item = _items[slot];
            if (item.Active)
            {
                popularity.Add(_popularity.Of(item, asOf));
                foreach (var category in item.Categories)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(categories, category, out _)++;
                }
            }
        }

        var requested = KnownSlots(itemIds)
            .Select(slot => _items[slot])
            .Where(i => i.Active)
            .Select(i => new ItemStatistics(i.Id, i.Categories, _popularity.Of(i, asOf)));
        return Task.FromResult(new CatalogSummary([.. popularity], categories, [.. requested]));
    }

    public Task<ScoredItem[]> RecommendAsync(ShardQuery query) => _scan.RecommendAsync(query);

    /// <summary>The item half of a learning step; an empty user vector (anonymous interaction) teaches nothing.</summary>
    private void Nudge(int slot, float[] userVector, float weight)
    {
        if (userVector.Length == 0)
        {
            return;
        }

        var vector = _items.Vector(slot);
        var gradient = OnlineUpdate.Gradient(VectorMath.Dot(vector, userVector), weight);
        OnlineUpdate.Step(vector, userVector, gradient, _settings.ItemLearningRate, _settings.Regularization);
        _items.SetLearnedVector(slot, vector, ref _random);
    }

    /// <summary>Uniform random active items of this shard, none of them among the request's own items.</summary>
    private ItemVector[] SampleNegatives(int count, HashSet<int> touched)
    {
        var chosen = new HashSet<int>(count);
        var attempts = count * 4;
        while (chosen.Count < count && attempts-- > 0 && _items.Count > touched.Count)
        {
            var slot = _random.Next(_items.Count);
            if (_items[slot].Active && !touched.Contains(slot))
            {
                chosen.Add(slot);
            }
        }

        return [.. chosen.Select(ItemVectorOf)];
    }

    /// <summary>Adds an active item with its starting vector; returns its slot.</summary>
    private int AddItem(string itemId, string[] categories, string[] tags)
    {
        var slot = _items.Add(itemId);
        var item = _items[slot];
        (item.Categories, item.Tags) = (categories, tags);
        _items.SetVector(slot, HashedEmbedding.ForItem(itemId, categories, tags, _settings));
        _coOccurrence.AddSlot(itemId);
        return slot;
    }

    /// <summary>The item's slot, adding it (no metadata, active) when this is the first time it is seen.</summary>
    private int SlotOf(string itemId) => _items.TryGetSlot(itemId, out var slot) ? slot : AddItem(itemId, [], []);

    private IEnumerable<int> KnownSlots(IEnumerable<string> itemIds)
    {
        foreach (var id in itemIds)
        {
            if (_items.TryGetSlot(id, out var slot))
            {
                yield return slot;
            }
        }
    }

    private ItemVector ItemVectorOf(int slot) => new(_items[slot].Id, _items.Vector(slot), _items[slot].Categories);

    /// <summary>Adds first engagements to the co-occurrence counts (pairs of this shard's items, users per any item).</summary>
    private void CountEngagements(Engagement[] engagements)
    {
        var previous = new List<(string, int?)>();
        foreach (var engagement in engagements)
        {
            previous.Clear();
            foreach (var id in engagement.Previous)
            {
                previous.Add((id, KnownSlot(id)));
            }

            _coOccurrence.Record(engagement.ItemId, KnownSlot(engagement.ItemId), previous, engagement.EarlierItems, _settings.UserDegreeExponent);
        }
    }

    /// <summary>The item's slot if this shard owns it (co-occurrence counts also name other shards' items).</summary>
    private int? KnownSlot(string itemId) => _items.TryGetSlot(itemId, out var slot) ? slot : null;

    private static ItemDetails Details(ItemRow item) =>
        new(item.Id, item.Categories, item.Tags, item.Active, item.InteractionCount, item.Skills, item.Skills.Length > 0 ? item.Difficulty : null);
}

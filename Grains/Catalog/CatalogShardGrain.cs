using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Owns the items whose id hashes to this shard. Metadata changes are written before the call returns; vector nudges and
/// popularity (derived data) are written behind, at most <see cref="FlushInterval"/> late, and on deactivation.
/// </summary>
public sealed class CatalogShardGrain(
    [PersistentState("catalog")] IPersistentState<CatalogShardState> state,
    IOptions<LearningSettings> learning,
    IOptions<KnowledgeSettings> knowledge) : Grain, ICatalogShardGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// From this many items on, the scan reads 8-bit vectors and re-scores a shortlist exactly: below it the float32
    /// vectors stay in the caches and the exact scan is as fast (measured, docs/performance.md).
    /// </summary>
    public const int QuantizeFrom = 32_768;

    private readonly LearningSettings _settings = learning.Value;
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly LabelSets _labels = new();
    private CoOccurrenceIndex _coOccurrence = null!;
    private ShardKnowledge _knowledge = null!;
    private DeterministicRandom _random;
    private bool _dirty;

    /// <summary>An 8-bit copy of the vectors for the first pass of the scan, once the shard is large (see <see cref="QuantizeFrom"/>).</summary>
    private QuantizedRows? _quantized;

    /// <summary>Co-occurrence scores of a request, reused (no allocation the size of the catalog per request).</summary>
    private float[] _coScores = [];

    /// <summary>The slots of <see cref="_coScores"/> a request scored: only they are cleared after it.</summary>
    private readonly List<int> _coTouched = [];

    /// <summary>Popularity scores of the first <see cref="_popularityCount"/> slots as of <see cref="_popularityAsOf"/>.</summary>
    private float[] _popularity = [];
    private int _popularityCount;
    private DateTimeOffset? _popularityAsOf;

    private List<CatalogItem> Items => state.State.Items;

    private int Dimension => _settings.Dimension;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _coOccurrence = new CoOccurrenceIndex(state.State.Occurrences, state.State.Pairs, _settings.SimilarityExponent);
        _knowledge = new ShardKnowledge(state.State, knowledge.Value);
        for (var slot = 0; slot < Items.Count; slot++)
        {
            Items[slot].Categories = _labels.Intern(Items[slot].Categories);
            Items[slot].Tags = _labels.Intern(Items[slot].Tags);
            _slots[Items[slot].Id] = slot;
            _coOccurrence.AddSlot(Items[slot].Id);
        }

        QuantizeWhenLarge();
        _random = new DeterministicRandom((ulong)this.GetPrimaryKeyLong() + 1);
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushInterval, FlushInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
    }

    public async Task UpsertItemsAsync(ItemUpsert[] items)
    {
        // Large batches (an import's chunks) grow the storage once, to size, instead of by half again (memory per item);
        // small ones leave it to AddItem's growth, so that many small upserts do not copy the vectors each time.
        var capacity = Items.Count + items.Length;
        if (items.Length >= 1_000 && state.State.Vectors.Length < capacity * Dimension)
        {
            var vectors = state.State.Vectors;
            Array.Resize(ref vectors, capacity * Dimension);
            state.State.Vectors = vectors;
        }

        Items.EnsureCapacity(capacity);
        _slots.EnsureCapacity(capacity);
        foreach (var given in items)
        {
            var upsert = given with { Categories = _labels.Intern(given.Categories), Tags = _labels.Intern(given.Tags) };
            if (_slots.TryGetValue(upsert.Id, out var slot))
            {
                var item = Items[slot];
                var metadataChanged = !item.Categories.SequenceEqual(upsert.Categories) || !item.Tags.SequenceEqual(upsert.Tags);
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
                    SetVector(slot, HashedEmbedding.ForItem(upsert.Id, upsert.Categories, upsert.Tags, _settings));
                }
            }
            else
            {
                AddItem(new CatalogItem
                {
                    Id = upsert.Id, Categories = upsert.Categories, Tags = upsert.Tags, Active = upsert.Active,
                    Skills = upsert.Skills, Difficulty = upsert.Difficulty ?? 0,
                });
            }
        }

        await WriteAsync();
    }

    public async Task<bool> DeactivateItemAsync(string itemId)
    {
        if (!_slots.TryGetValue(itemId, out var slot))
        {
            return false;
        }

        Items[slot].Active = false;
        await WriteAsync();
        return true;
    }

    public Task<ItemDetails?> GetItemAsync(string itemId) =>
        Task.FromResult(_slots.TryGetValue(itemId, out var slot) ? Details(Items[slot]) : null);

    public Task<ItemDetails[]> GetItemsAsync(string[] itemIds) =>
        Task.FromResult(itemIds.Where(_slots.ContainsKey).Select(id => Details(Items[_slots[id]])).ToArray());

    public Task<ExercisePrediction[]> PredictAsync(LearnerSnapshot learner, string[] itemIds, DateTimeOffset asOf) =>
        Task.FromResult(itemIds
            .Where(id => _slots.TryGetValue(id, out var slot) && Items[slot].Skills.Length > 0)
            .Select(id => new ExercisePrediction(id, _knowledge.Predict(Items[_slots[id]], learner, asOf)))
            .ToArray());

    public Task<PracticeCandidate[]> PracticeAsync(PracticeQuery query) => Task.FromResult(_knowledge.Practice(Items, query));

    public Task<float[]?> GetVectorAsync(string itemId) =>
        Task.FromResult(_slots.TryGetValue(itemId, out var slot) ? VectorOf(slot).ToArray() : null);

    public Task<InteractionContext> PrepareInteractionsAsync(string[] itemIds, int negativeSamples)
    {
        var slots = itemIds.Select(SlotOf).ToHashSet();
        _dirty |= slots.Count > 0;
        return Task.FromResult(new InteractionContext(
            [.. slots.Select(ItemVectorOf)],
            SampleNegatives(negativeSamples, slots),
            [.. slots.Where(slot => Items[slot].Skills.Length > 0).Select(slot => _knowledge.Parameters(Items[slot]))]));
    }

    public Task ApplyInteractionsAsync(InteractionBatch[] batches, Engagement[] engagements)
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

                var item = Items[slot];
                item.InteractionCount++;
                if (signal.Weight > 0)
                {
                    var popularity = new DecayingCount(item.Popularity, item.PopularityTicks).Add(1, signal.Timestamp, _settings.PopularityHalfLife);
                    (item.Popularity, item.PopularityTicks) = (popularity.Value, popularity.AtTicks);
                    if (slot < _popularityCount)
                    {
                        _popularity[slot] = PopularityScore(item, _popularityAsOf!.Value);
                    }
                }
            }

            foreach (var answer in batch.Answers)
            {
                _knowledge.Learn(Items[SlotOf(answer.ItemId)], answer);
            }
        }

        CountEngagements(engagements);
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task<CatalogSummary> GetSummaryAsync(string[] itemIds, DateTimeOffset asOf)
    {
        var active = Items.Where(i => i.Active).ToList();
        var categories = active.SelectMany(i => i.Categories).CountBy(c => c).ToDictionary(c => c.Key, c => c.Value);
        var requested = itemIds
            .Where(id => _slots.TryGetValue(id, out var slot) && Items[slot].Active)
            .Select(id => Items[_slots[id]])
            .Select(i => new ItemStatistics(i.Id, i.Categories, PopularityScore(i, asOf)));
        return Task.FromResult(new CatalogSummary([.. active.Select(i => PopularityScore(i, asOf))], categories, [.. requested]));
    }

    public Task<ScoredItem[]> RecommendAsync(ShardQuery query)
    {
        var excluded = new HashSet<int>();
        foreach (var id in query.Exclude)
        {
            if (_slots.TryGetValue(id, out var slot))
            {
                excluded.Add(slot);
            }
        }

        var count = Items.Count;
        if (_coScores.Length < count)
        {
            _coScores = new float[Math.Max(count, _coScores.Length * 3 / 2)];
        }

        // The scratch is all zeros between requests: the slots scored are cleared below.
        var coOccurrence = _coScores.AsSpan(0, count);
        var touched = _coOccurrence.Score(query.History, coOccurrence, _settings.CoOccurrenceWeight, _coTouched);
        var terms = new ScanTerms(
            query.Vector,
            touched ? coOccurrence : [],
            query.PopularityWeight > 0 ? PopularityScores(query.AsOf) : [],
            query.PopularityWeight);
        var top = CatalogScan.Top(state.State.Vectors, count, _quantized, terms, query.Count, slot =>
            Items[slot].Active && !excluded.Contains(slot) && (query.Category is not { } category || Items[slot].Categories.Contains(category)));
        foreach (var slot in _coTouched)
        {
            coOccurrence[slot] = 0;
        }

        _coTouched.Clear();

        return Task.FromResult(top
            .Select(s => new ScoredItem(
                Items[s.Index].Id,
                s.Score,
                PopularityScore(Items[s.Index], query.AsOf),
                Items[s.Index].Categories,
                query.IncludeVectors ? VectorOf(s.Index).ToArray() : null))
            .ToArray());
    }

    /// <summary>Every slot's popularity score as of <paramref name="asOf"/>, computed once per minute (requests round it).</summary>
    private ReadOnlySpan<float> PopularityScores(DateTimeOffset asOf)
    {
        var from = _popularityAsOf == asOf ? _popularityCount : 0;
        if (_popularity.Length < Items.Count)
        {
            Array.Resize(ref _popularity, Math.Max(Items.Count, _popularity.Length * 3 / 2));
        }

        for (var slot = from; slot < Items.Count; slot++)
        {
            _popularity[slot] = PopularityScore(Items[slot], asOf);
        }

        (_popularityAsOf, _popularityCount) = (asOf, Items.Count);
        return _popularity.AsSpan(0, Items.Count);
    }

    private float PopularityScore(CatalogItem item, DateTimeOffset asOf) =>
        DecayingCount.Score(new DecayingCount(item.Popularity, item.PopularityTicks).ValueAt(asOf, _settings.PopularityHalfLife), _settings.PopularitySaturation);

    /// <summary>The item half of a learning step; an empty user vector (anonymous interaction) teaches nothing.</summary>
    private void Nudge(int slot, float[] userVector, float weight)
    {
        if (userVector.Length == 0)
        {
            return;
        }

        var vector = VectorOf(slot);
        var gradient = OnlineUpdate.Gradient(VectorMath.Dot(vector, userVector), weight);
        OnlineUpdate.Step(vector, userVector, gradient, _settings.ItemLearningRate, _settings.Regularization);
        _quantized?.Set(slot, vector);
    }

    /// <summary>Uniform random active items of this shard, none of them among the request's own items.</summary>
    private ItemVector[] SampleNegatives(int count, HashSet<int> touched)
    {
        var chosen = new HashSet<int>(count);
        var attempts = count * 4;
        while (chosen.Count < count && attempts-- > 0 && Items.Count > touched.Count)
        {
            var slot = _random.Next(Items.Count);
            if (Items[slot].Active && !touched.Contains(slot))
            {
                chosen.Add(slot);
            }
        }

        return [.. chosen.Select(ItemVectorOf)];
    }

    private int AddItem(CatalogItem item)
    {
        var slot = Items.Count;
        Items.Add(item);
        _slots[item.Id] = slot;
        var needed = (slot + 1) * Dimension;
        if (state.State.Vectors.Length < needed)
        {
            var grown = new float[Math.Max(needed, state.State.Vectors.Length * 3 / 2)];
            state.State.Vectors.CopyTo(grown, 0);
            state.State.Vectors = grown;
        }

        SetVector(slot, HashedEmbedding.ForItem(item.Id, item.Categories, item.Tags, _settings));
        _coOccurrence.AddSlot(item.Id);
        QuantizeWhenLarge();
        return slot;
    }

    /// <summary>The item's slot, adding it (no metadata, active) when this is the first time it is seen.</summary>
    private int SlotOf(string itemId) => _slots.TryGetValue(itemId, out var slot) ? slot : AddItem(new CatalogItem { Id = itemId });

    private ItemVector ItemVectorOf(int slot) => new(Items[slot].Id, VectorOf(slot).ToArray(), Items[slot].Categories);

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
    private int? KnownSlot(string itemId) => _slots.TryGetValue(itemId, out var slot) ? slot : null;

    private Span<float> VectorOf(int slot) => state.State.Vectors.AsSpan(slot * Dimension, Dimension);

    private void SetVector(int slot, float[] vector)
    {
        vector.CopyTo(VectorOf(slot));
        _quantized?.Set(slot, vector);
    }

    /// <summary>Builds the 8-bit copy once the shard has grown large enough for it to pay.</summary>
    private void QuantizeWhenLarge()
    {
        if (_quantized is not null || Items.Count < QuantizeFrom)
        {
            return;
        }

        _quantized = new QuantizedRows(Dimension);
        for (var slot = 0; slot < Items.Count; slot++)
        {
            _quantized.Set(slot, VectorOf(slot));
        }
    }

    private static ItemDetails Details(CatalogItem item) =>
        new(item.Id, item.Categories, item.Tags, item.Active, item.InteractionCount, item.Skills, item.Skills.Length > 0 ? item.Difficulty : null);

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        _dirty = false;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await WriteAsync();
        }
    }
}

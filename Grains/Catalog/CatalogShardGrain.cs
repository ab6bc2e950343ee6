using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;
using Personalization.Grains.Persistence;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Owns the items whose id hashes to this shard. Metadata changes are written before the call returns. Items are stored a
/// page per row of the grain storage (state "catalog-page-N"); vector nudges, popularity and counters (derived data) are
/// written behind with their pages, every <see cref="FlushInterval"/>, a write covering only the pages changed since the
/// last one. The learned state beside them grows with every pair of items users share (tens of MB per shard under
/// load): its co-occurrence rows are stored in parts (state "catalog-pairs-N"), the changed ones one after another,
/// and the rest (state "catalog": users per item, learner-model weights) after them; at most every
/// <see cref="LearnedStateInterval"/> while events keep coming and one tick after they stop, stored off the grain's
/// turn. Everything is written on deactivation.
/// </summary>
public sealed class CatalogShardGrain(
    [FromKeyedServices(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)] IGrainStorage storage,
    IOptions<LearningOptions> learning,
    IOptions<KnowledgeOptions> knowledge,
    ILogger<CatalogShardGrain> logger) : Grain, ICatalogShardGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan LearnedStateInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Page writes the write-behind keeps in flight at most (each holds a 2-3 MB snapshot): a large catalog whose pages
    /// all changed is written over several ticks.
    /// </summary>
    public const int PageWritesInFlight = 8;

    /// <summary>
    /// From this many items on, the scan reads 8-bit vectors and re-scores a shortlist exactly: below it the float32
    /// vectors stay in the caches and the exact scan is as fast (measured, docs/performance.md).
    /// </summary>
    public const int QuantizeFrom = 32_768;

    private readonly LearningOptions _settings = learning.Value;
    private readonly LabelSets _labels = new();

    /// <summary>Each page's writer (its stored version, its write in progress).</summary>
    private readonly List<SnapshotWriter<ItemPage>> _pageWriters = [];
    private ShardItems _items = null!;
    private CatalogShardState _learned = null!;
    private SnapshotWriter<CatalogShardState> _learnedWriter = null!;

    /// <summary>Each co-occurrence part's writer, and which parts changed since they were written.</summary>
    private readonly SnapshotWriter<PairsPart>[] _partWriters = new SnapshotWriter<PairsPart>[PairsPart.Parts];
    private readonly bool[] _partChanged = new bool[PairsPart.Parts];

    /// <summary>The learned state's last store: its parts one after another, then the rest.</summary>
    private Task _learnedWrite = Task.CompletedTask;
    private CoOccurrenceIndex _coOccurrence = null!;
    private ShardKnowledge _knowledge = null!;
    private DeterministicRandom _random;

    /// <summary>The learned state (co-occurrence, learner-model weights) changed since it was written.</summary>
    private bool _dirty;

    private long _learnedStateWrittenAt = Stopwatch.GetTimestamp();

    /// <summary>Pause between two parts of a write-behind store of the learned state, so that requests keep a core.</summary>
    private static readonly TimeSpan PartSpacing = TimeSpan.FromMilliseconds(25);

    /// <summary>Events changed the learned state since the last write-behind tick.</summary>
    private bool _learnedChangedThisTick;

    /// <summary>An 8-bit copy of the vectors for the first pass of the scan, once the shard is large (see <see cref="QuantizeFrom"/>).</summary>
    private QuantizedRows? _quantized;

    /// <summary>Co-occurrence scores of a request, reused (no allocation the size of the catalog per request).</summary>
    private float[] _coScores = [];

    /// <summary>The slots a request excludes, reused from request to request.</summary>
    private readonly HashSet<int> _excluded = [];

    /// <summary>Popularity scores of the first <see cref="_popularityCount"/> slots as of <see cref="_popularityAsOf"/>.</summary>
    private float[] _popularity = [];
    private int _popularityCount;
    private DateTimeOffset? _popularityAsOf;

    private int Dimension => _settings.Dimension;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _learnedWriter = new SnapshotWriter<CatalogShardState>(storage, this.GetGrainId(), "catalog");
        _learned = await _learnedWriter.ReadAsync(() => new CatalogShardState());
        MoveLegacyPairs();
        await ReadPairPartsAsync();
        _coOccurrence = new CoOccurrenceIndex(
            _learned.Occurrences, _learned.Pairs, _settings.SimilarityExponent, rowChanged: itemId => _partChanged[PairsPart.Of(itemId)] = true);
        _knowledge = new ShardKnowledge(_learned, knowledge.Value);
        _items = new ShardItems(Dimension);
        await ReadPagesAsync();
        if (_learned.LegacyItems.Count > 0)
        {
            await MoveLegacyItemsIntoPagesAsync();
        }

        for (var slot = 0; slot < _items.Count; slot++)
        {
            _coOccurrence.AddSlot(_items[slot].Id);
        }

        QuantizeWhenLarge();
        _random = new DeterministicRandom((ulong)this.GetPrimaryKeyLong() + 1);
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushInterval, FlushInterval) { KeepAlive = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Writes still running first: one that failed marks its page changed again.
        await Task.WhenAll(_pageWriters.Select(writer => writer.Idle));
        await WritePagesAsync(waitUntilStored: true);
        await WriteLearnedStateAsync(TimeSpan.Zero);
    }

    public async Task UpsertItemsAsync(ItemUpsert[] items)
    {
        _items.EnsureCapacity(_items.Count + items.Length);
        foreach (var given in items)
        {
            var upsert = given with { Categories = _labels.Intern(given.Categories), Tags = _labels.Intern(given.Tags) };
            if (_items.TryGetSlot(upsert.Id, out var slot))
            {
                var item = _items[slot];
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
                var item = _items[AddItem(upsert.Id, upsert.Categories, upsert.Tags)];
                (item.Active, item.Skills, item.Difficulty) = (upsert.Active, upsert.Skills, upsert.Difficulty ?? 0);
            }
        }

        await WritePagesAsync(waitUntilStored: true);
    }

    public async Task<bool> DeactivateItemAsync(string itemId)
    {
        if (!_items.TryGetSlot(itemId, out var slot))
        {
            return false;
        }

        var item = _items[slot];
        item.Active = false;
        await WritePagesAsync(waitUntilStored: true);
        return true;
    }

    public Task<ItemDetails?> GetItemAsync(string itemId) =>
        Task.FromResult(_items.TryGetSlot(itemId, out var slot) ? Details(_items[slot]) : null);

    public Task<ItemDetails[]> GetItemsAsync(string[] itemIds) =>
        Task.FromResult(KnownSlots(itemIds).Select(slot => Details(_items[slot])).ToArray());

    public Task<ExercisePrediction[]> PredictAsync(LearnerSnapshot learner, string[] itemIds, DateTimeOffset asOf) =>
        Task.FromResult(KnownSlots(itemIds)
            .Select(slot => _items[slot])
            .Where(item => item.Skills.Length > 0)
            .Select(item => new ExercisePrediction(item.Id, _knowledge.Predict(item, learner, asOf)))
            .ToArray());

    public Task<PracticeCandidate[]> PracticeAsync(PracticeQuery query) => Task.FromResult(_knowledge.Practice(_items.All, query));

    public Task<float[]?> GetVectorAsync(string itemId) =>
        Task.FromResult(_items.TryGetSlot(itemId, out var slot) ? _items.Vector(slot).ToArray() : null);

    public Task<InteractionContext> PrepareInteractionsAsync(string[] itemIds, int negativeSamples)
    {
        var slots = itemIds.Select(SlotOf).ToHashSet();
        return Task.FromResult(new InteractionContext(
            [.. slots.Select(ItemVectorOf)],
            SampleNegatives(negativeSamples, slots),
            [.. slots.Select(slot => _items[slot]).Where(item => item.Skills.Length > 0).Select(_knowledge.Parameters)]));
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

                var item = _items[slot];
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
                _knowledge.Learn(_items[SlotOf(answer.ItemId)], answer);
            }
        }

        CountEngagements(engagements);
        (_dirty, _learnedChangedThisTick) = (true, true);
        return Task.CompletedTask;
    }

    public Task<CatalogSummary> GetSummaryAsync(string[] itemIds, DateTimeOffset asOf)
    {
        var active = _items.All.Where(i => i.Active).ToList();
        var categories = active.SelectMany(i => i.Categories).CountBy(c => c).ToDictionary(c => c.Key, c => c.Value);
        var requested = KnownSlots(itemIds)
            .Select(slot => _items[slot])
            .Where(i => i.Active)
            .Select(i => new ItemStatistics(i.Id, i.Categories, PopularityScore(i, asOf)));
        return Task.FromResult(new CatalogSummary([.. active.Select(i => PopularityScore(i, asOf))], categories, [.. requested]));
    }

    public Task<ScoredItem[]> RecommendAsync(ShardQuery query)
    {
        var excluded = _excluded;
        excluded.Clear();
        foreach (var id in query.Exclude)
        {
            if (_items.TryGetSlot(id, out var slot))
            {
                excluded.Add(slot);
            }
        }

        var count = _items.Count;
        if (_coScores.Length < count)
        {
            _coScores = new float[Math.Max(count, _coScores.Length * 3 / 2)];
        }

        // The scratch is all zeros between requests: what a request adds is cleared below.
        var coOccurrence = _coScores.AsSpan(0, count);
        var entries = _coOccurrence.Score(query.History, coOccurrence, _settings.CoOccurrenceWeight);
        var terms = new ScanTerms(
            query.Vector,
            entries > 0 ? coOccurrence : [],
            query.PopularityWeight > 0 ? PopularityScores(query.AsOf) : [],
            query.PopularityWeight);
        var top = CatalogScan.Top(_items.Vectors, count, _quantized, terms, query.Count, slot =>
            _items[slot].Active && !excluded.Contains(slot) && (query.Category is not { } category || _items[slot].Categories.Contains(category)));
        _coOccurrence.Clear(query.History, entries, coOccurrence);

        return Task.FromResult(top
            .Select(s => new ScoredItem(
                _items[s.Index].Id,
                s.Score,
                PopularityScore(_items[s.Index], query.AsOf),
                _items[s.Index].Categories,
                query.IncludeVectors ? _items.Vector(s.Index).ToArray() : null))
            .ToArray());
    }

    /// <summary>Every slot's popularity score as of <paramref name="asOf"/>, computed once per minute (requests round it).</summary>
    private ReadOnlySpan<float> PopularityScores(DateTimeOffset asOf)
    {
        var from = _popularityAsOf == asOf ? _popularityCount : 0;
        if (_popularity.Length < _items.Count)
        {
            Array.Resize(ref _popularity, Math.Max(_items.Count, _popularity.Length * 3 / 2));
        }

        for (var slot = from; slot < _items.Count; slot++)
        {
            _popularity[slot] = PopularityScore(_items[slot], asOf);
        }

        (_popularityAsOf, _popularityCount) = (asOf, _items.Count);
        return _popularity.AsSpan(0, _items.Count);
    }

    private float PopularityScore(ItemRow item, DateTimeOffset asOf) =>
        DecayingCount.Score(new DecayingCount(item.Popularity, item.PopularityTicks).ValueAt(asOf, _settings.PopularityHalfLife), _settings.PopularitySaturation);

    /// <summary>The item half of a learning step; an empty user vector (anonymous interaction) teaches nothing.</summary>
    private void Nudge(int slot, float[] userVector, float weight)
    {
        if (userVector.Length == 0)
        {
            return;
        }

        var vector = _items.VectorToChange(slot);
        var gradient = OnlineUpdate.Gradient(VectorMath.Dot(vector, userVector), weight);
        OnlineUpdate.Step(vector, userVector, gradient, _settings.ItemLearningRate, _settings.Regularization);
        _quantized?.Set(slot, vector);
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
        SetVector(slot, HashedEmbedding.ForItem(itemId, categories, tags, _settings));
        _coOccurrence.AddSlot(itemId);
        QuantizeWhenLarge();
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

    private ItemVector ItemVectorOf(int slot) => new(_items[slot].Id, _items.Vector(slot).ToArray(), _items[slot].Categories);

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

    private void SetVector(int slot, float[] vector)
    {
        vector.CopyTo(_items.VectorToChange(slot));
        _quantized?.Set(slot, vector);
    }

    /// <summary>Builds the 8-bit copy once the shard has grown large enough for it to pay.</summary>
    private void QuantizeWhenLarge()
    {
        if (_quantized is not null || _items.Count < QuantizeFrom)
        {
            return;
        }

        _quantized = new QuantizedRows(Dimension, ItemPage.Rows);
        for (var slot = 0; slot < _items.Count; slot++)
        {
            _quantized.Set(slot, _items.Vector(slot));
        }
    }

    private static ItemDetails Details(ItemRow item) =>
        new(item.Id, item.Categories, item.Tags, item.Active, item.InteractionCount, item.Skills, item.Skills.Length > 0 ? item.Difficulty : null);

    private static string PageStateName(int page) => $"catalog-page-{page}";

    /// <summary>Pages 0, 1, ... until the first one never written (pages are written in order, each once it has items).</summary>
    private async Task ReadPagesAsync()
    {
        while (true)
        {
            var writer = new SnapshotWriter<ItemPage>(storage, this.GetGrainId(), PageStateName(_pageWriters.Count));
            var page = await writer.ReadAsync(() => new ItemPage());
            if (!writer.IsStored)
            {
                return;
            }

            page.Unpack();
            page.InternLabels(_labels);
            _items.Load(page);
            _pageWriters.Add(writer);
        }
    }

    /// <summary>
    /// State from before pages: its items go into pages, which are written before the old list is emptied, so that an
    /// interrupted move starts again from the old list on the next activation.
    /// </summary>
    private async Task MoveLegacyItemsIntoPagesAsync()
    {
        var legacy = _learned;
        _items = new ShardItems(Dimension);
        foreach (var old in legacy.LegacyItems)
        {
            var item = _items[_items.Add(old.Id)];
            (item.Categories, item.Tags, item.Skills, item.Active) = (_labels.Intern(old.Categories), _labels.Intern(old.Tags), old.Skills, old.Active);
            (item.InteractionCount, item.Popularity, item.PopularityTicks) = (old.InteractionCount, old.Popularity, old.PopularityTicks);
            (item.Difficulty, item.Answers) = (old.Difficulty, old.Answers);
        }

        for (var slot = 0; slot < _items.Count; slot++)
        {
            legacy.LegacyVectors.AsSpan(slot * Dimension, Dimension).CopyTo(_items.VectorToChange(slot));
        }

        await WritePagesAsync(waitUntilStored: true);
        (legacy.LegacyItems, legacy.LegacyVectors, _dirty) = ([], [], true);
        await WriteLearnedStateAsync(TimeSpan.Zero);
    }

    /// <summary>Co-occurrence rows stored as dictionaries (before <see cref="PairRow"/>) become rows, written with the next flush.</summary>
    private void MoveLegacyPairs()
    {
        foreach (var (itemId, row) in _learned.LegacyPairs)
        {
            _learned.Pairs[itemId] = new PairRow([.. row.Keys], [.. row.Values], row.Count);
            _dirty = true;
        }

        _learned.LegacyPairs.Clear();
    }

    /// <summary>
    /// Reads the co-occurrence parts into the rows. Rows the learned state itself held were stored before parts: a part
    /// stored since holds newer counts of its rows and wins, and every part is written (before the state without its
    /// rows, see <see cref="StoreLearnedAsync"/>), so that an interrupted move starts again on the next activation.
    /// </summary>
    private async Task ReadPairPartsAsync()
    {
        if (_learned.Pairs.Count > 0)
        {
            _dirty = true;
            Array.Fill(_partChanged, true);
        }

        for (var part = 0; part < PairsPart.Parts; part++)
        {
            _partWriters[part] = new SnapshotWriter<PairsPart>(storage, this.GetGrainId(), PairsPart.StateName(part));
            foreach (var (itemId, row) in (await _partWriters[part].ReadAsync(() => new PairsPart())).Rows)
            {
                _learned.Pairs[itemId] = row;
            }
        }
    }

    /// <summary>
    /// Writes the pages changed since their last write, from snapshots. With <paramref name="waitUntilStored"/> (a
    /// caller acknowledges what it changed) every write is awaited; otherwise (write-behind) a page already stored is
    /// written off the grain's turn, at most <see cref="PageWritesInFlight"/> at a time, and a page still being written
    /// waits for the next tick. A page's first write is always awaited: reads stop at the first missing page.
    /// </summary>
    private async Task WritePagesAsync(bool waitUntilStored)
    {
        var inFlight = _pageWriters.Count(writer => !writer.Last.IsCompleted);
        for (var index = 0; index < _items.Pages.Count; index++)
        {
            var page = _items.Pages[index];
            if (index == _pageWriters.Count)
            {
                _pageWriters.Add(new SnapshotWriter<ItemPage>(storage, this.GetGrainId(), PageStateName(index)));
            }

            var writer = _pageWriters[index];
            page.Changed |= LastWriteFailed(writer, $"page {index}");

            var background = !waitUntilStored && writer.IsStored;
            if (!page.Changed || (background && (!writer.Last.IsCompleted || inFlight >= PageWritesInFlight)))
            {
                continue;
            }

            page.Changed = false;
            var write = writer.WriteAsync(page.Snapshot(Dimension));
            if (background)
            {
                inFlight++;
                continue;
            }

            try
            {
                await write;
            }
            catch
            {
                page.Changed = true;
                throw;
            }
        }
    }

    /// <summary>
    /// Stores what changed of the learned state, or failed to be written, since its last snapshots: the changed
    /// co-occurrence parts, <paramref name="spacing"/> apart, then the rest. The task completes when they are stored
    /// (or the store in progress is done, when nothing changed).
    /// </summary>
    private Task WriteLearnedStateAsync(TimeSpan spacing)
    {
        _dirty |= LastWriteFailed(_learnedWriter, "the learned state");
        for (var part = 0; part < PairsPart.Parts; part++)
        {
            _partChanged[part] |= LastWriteFailed(_partWriters[part], $"co-occurrence part {part}");
        }

        if (!_dirty && !_partChanged.Contains(true))
        {
            return _learnedWrite;
        }

        var parts = ChangedPartsKeys();
        (_dirty, _learnedStateWrittenAt) = (false, Stopwatch.GetTimestamp());
        return _learnedWrite = StoreLearnedAsync(_learnedWrite, parts, _learned.Snapshot(), spacing);
    }

    /// <summary>The changed parts and the item ids of their rows (one pass over the rows); the parts are marked written.</summary>
    private (int Part, List<string> Keys)[] ChangedPartsKeys()
    {
        var keys = new List<string>?[PairsPart.Parts];
        for (var part = 0; part < keys.Length; part++)
        {
            keys[part] = _partChanged[part] ? [] : null;
        }

        foreach (var itemId in _learned.Pairs.Keys)
        {
            keys[PairsPart.Of(itemId)]?.Add(itemId);
        }

        Array.Clear(_partChanged);
        var changed = new List<(int, List<string>)>();
        for (var part = 0; part < keys.Length; part++)
        {
            if (keys[part] is { } partKeys)
            {
                changed.Add((part, partKeys));
            }
        }

        return [.. changed];
    }

    /// <summary>Whether the writer's last write failed (logged: what it held is to be written again).</summary>
    private bool LastWriteFailed<T>(SnapshotWriter<T> writer, string what)
    {
        if (writer.Last.Exception is not { } failure)
        {
            return false;
        }

        logger.LogWarning(failure.InnerException, "Storing {What} of catalog shard {Shard} failed; it is written again", what, this.GetPrimaryKeyLong());
        return true;
    }

    /// <summary>
    /// After the previous store (whose snapshots are older), the parts one after another, each copied when its turn
    /// comes (rows changed meanwhile go in as they are; rows added meanwhile mark their part changed again), then the rest of the state:
    /// written last, since before parts it held the rows (an interrupted move leaves them there). A part whose store
    /// failed is written again next time (its writer keeps the failure).
    /// </summary>
    private async Task StoreLearnedAsync(Task previous, (int Part, List<string> Keys)[] parts, CatalogShardState rest, TimeSpan spacing)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Its failures are judged by the writers, as below.
        }

        foreach (var (part, keys) in parts)
        {
            // Copied now, in a turn of the shard between requests: a part's rows, not all of them at once.
            var snapshot = new PairsPart();
            foreach (var itemId in keys)
            {
                snapshot.Rows.Add(itemId, _learned.Pairs[itemId].Copy());
            }

            try
            {
                await _partWriters[part].WriteAsync(snapshot);
            }
            catch (Exception)
            {
                // Judged by the next WriteLearnedStateAsync, from the writer's last write.
            }

            if (spacing > TimeSpan.Zero)
            {
                await Task.Delay(spacing);
            }
        }

        await _learnedWriter.WriteAsync(rest);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await WritePagesAsync(waitUntilStored: false);
        // Every LearnedStateInterval while events keep coming, and one tick after they stop (so that a quiet shard is
        // not behind, and the write is not left for whatever load comes next). Not awaited: the snapshot is stored off
        // the grain's turn; a write still running waits for the next tick.
        var settled = !_learnedChangedThisTick;
        _learnedChangedThisTick = false;
        if (_learnedWrite.IsCompleted && (settled || Stopwatch.GetElapsedTime(_learnedStateWrittenAt) >= LearnedStateInterval))
        {
            _ = WriteLearnedStateAsync(PartSpacing);
        }
    }
}

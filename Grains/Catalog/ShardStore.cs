using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A catalog shard's persistence: its item pages (<see cref="PageStore"/>) and learned state (<see cref="LearnedStore"/>),
/// read on activation. Metadata changes are stored before the caller is answered. Derived data is written behind: pages
/// (vector nudges, popularity, counters) every <see cref="FlushInterval"/> tick, only those changed since; the learned
/// state at most every <see cref="LearnedStateInterval"/> while events keep coming and one tick after they stop, so that
/// a quiet shard is not behind and the write is not left for whatever load comes next. Everything on deactivation.
/// </summary>
internal sealed class ShardStore
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan LearnedStateInterval = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two parts of a write-behind store of the learned state, so that requests keep a core.</summary>
    private static readonly TimeSpan PartSpacing = TimeSpan.FromMilliseconds(25);

    private readonly PageStore _pages;
    private readonly LearnedStore _learned;
    private readonly TimeProvider _clock;
    private long _learnedWrittenAt;

    /// <summary>Events changed the learned state since the last write-behind tick.</summary>
    private bool _learnedChangedThisTick;

    public ShardStore(IGrainStorage storage, GrainId shard, int dimension, TimeProvider clock, ILogger logger)
    {
        Items = new ShardItems(dimension);
        _pages = new PageStore(storage, shard, Items, logger);
        _learned = new LearnedStore(storage, shard, logger);
        _clock = clock;
        _learnedWrittenAt = clock.GetTimestamp();
    }

    public ShardItems Items { get; }

    public CatalogShardState Learned => _learned.State;

    public Dictionary<string, PairRow> Pairs => _learned.Pairs;

    public async Task ReadAsync(LabelSets labels)
    {
        await _learned.ReadAsync();
        await _pages.ReadAsync(labels);
    }

    /// <summary>Stores the pages changed since their last write, before a caller is told its change is done.</summary>
    public Task StoreChangedPagesAsync() => _pages.WriteChangedAsync(waitUntilStored: true);

    /// <summary>Events changed the learned state (users per item, learner weights).</summary>
    public void LearnedChanged()
    {
        _learned.Changed();
        _learnedChangedThisTick = true;
    }

    /// <summary>The co-occurrence row of <paramref name="itemId"/> changed.</summary>
    public void RowChanged(string itemId) => _learned.RowChanged(itemId);

    /// <summary>
    /// A write-behind tick: the changed pages, and the learned state when it is due. Neither is awaited once stored
    /// before: snapshots are stored off the shard's turn, and a write still running waits for the next tick.
    /// </summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await _pages.WriteChangedAsync(waitUntilStored: false);
        var settled = !_learnedChangedThisTick;
        _learnedChangedThisTick = false;
        if (_learned.Last.IsCompleted && (settled || _clock.GetElapsedTime(_learnedWrittenAt) >= LearnedStateInterval))
        {
            StartLearnedWrite(PartSpacing);
        }
    }

    /// <summary>Stores everything not stored yet, and waits for it (deactivation).</summary>
    public async Task FlushAsync()
    {
        // Writes still running first: one that failed marks its page changed again.
        await _pages.Idle;
        await _pages.WriteChangedAsync(waitUntilStored: true);
        StartLearnedWrite(TimeSpan.Zero);
        await _learned.Last;
    }

    private void StartLearnedWrite(TimeSpan spacing)
    {
        if (_learned.StartWrite(spacing))
        {
            _learnedWrittenAt = _clock.GetTimestamp();
        }
    }
}

using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Personalization.Grains.Telemetry;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A catalog shard's persistence: its item pages (<see cref="PageStore"/>) and learned state (<see cref="LearnedStore"/>),
/// read on activation. Metadata changes are stored before the caller is answered. Derived data is written behind: pages
/// (vector nudges, popularity, counters) every <see cref="FlushInterval"/> tick, only those changed since; the learned
/// state when its <see cref="LearnedWriteSchedule"/> says. Everything on deactivation.
/// </summary>
internal sealed class ShardStore : SiloMetrics.IShardGauges
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>Pause between two parts of a write-behind store of the learned state, so that requests keep a core.</summary>
    private static readonly TimeSpan PartSpacing = TimeSpan.FromMilliseconds(25);

    private readonly PageStore _pages;
    private readonly LearnedStore _learned;
    private readonly LearnedWriteSchedule _schedule;

    public ShardStore(IGrainStorage storage, GrainId shard, int dimension, TimeProvider clock, ILogger logger)
    {
        Items = new ShardItems(dimension);
        _pages = new PageStore(storage, shard, Items, logger);
        _learned = new LearnedStore(storage, shard, logger);
        _schedule = new LearnedWriteSchedule(clock);
    }

    public ShardItems Items { get; }

    int SiloMetrics.IShardGauges.Items => Items.Count;

    public TimeSpan WriteBehindLag => _schedule.Lag;

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
        _schedule.Changed();
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
        if (_schedule.DueAtTick() && _learned.Last.IsCompleted)
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
            _schedule.Started();
        }
    }
}

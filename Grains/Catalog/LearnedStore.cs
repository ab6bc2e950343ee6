using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Personalization.Grains.Persistence;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// A shard's learned state as stored: its co-occurrence rows in parts (<see cref="PairsPart"/>), and the rest (state
/// <c>catalog</c>: users per item, learner-model weights). It knows what changed since the last store, and a store
/// writes only that, from copies, so that the shard learns on meanwhile.
/// </summary>
internal sealed class LearnedStore(IGrainStorage storage, GrainId shard, ILogger logger)
{
    private readonly SnapshotWriter<CatalogShardState> _writer = new(storage, shard, "catalog");

    private readonly SnapshotWriter<PairsPart>[] _partWriters =
        [.. Enumerable.Range(0, PairsPart.Parts).Select(part => new SnapshotWriter<PairsPart>(storage, shard, PairsPart.StateName(part)))];

    private readonly bool[] _partChanged = new bool[PairsPart.Parts];

    /// <summary>The state but its rows changed since it was last stored.</summary>
    private bool _changed;

    public CatalogShardState State { get; private set; } = new();

    /// <summary>For an item id, the (weighted) users it shares with each of the shard's slots.</summary>
    public Dictionary<string, PairRow> Pairs { get; } = new(StringComparer.Ordinal);

    /// <summary>The last store started (its parts one after another, then the rest); faulted when the rest failed.</summary>
    public Task Last { get; private set; } = Task.CompletedTask;

    public async Task ReadAsync()
    {
        State = await _writer.ReadAsync(() => new CatalogShardState());
        foreach (var writer in _partWriters)
        {
            foreach (var (itemId, row) in (await writer.ReadAsync(() => new PairsPart())).Rows)
            {
                Pairs[itemId] = row;
            }
        }
    }

    /// <summary>Users per item or learner-model weights changed.</summary>
    public void Changed() => _changed = true;

    /// <summary>The co-occurrence row of <paramref name="itemId"/> changed: its part is written with the next store.</summary>
    public void RowChanged(string itemId) => _partChanged[PairsPart.Of(itemId)] = true;

    /// <summary>
    /// Starts storing what changed, or failed to be written, since the last store: the changed parts,
    /// <paramref name="spacing"/> apart, then the rest (see <see cref="Last"/>). False when nothing changed.
    /// </summary>
    public bool StartWrite(TimeSpan spacing)
    {
        _changed |= _writer.LastWriteFailed(logger);
        for (var part = 0; part < PairsPart.Parts; part++)
        {
            _partChanged[part] |= _partWriters[part].LastWriteFailed(logger);
        }

        if (!_changed && !_partChanged.Contains(true))
        {
            return false;
        }

        var parts = ChangedPartsKeys();
        _changed = false;
        Last = StoreAsync(Last, parts, State.Snapshot(), spacing);
        return true;
    }

    /// <summary>The changed parts and the item ids of their rows (one pass over the rows); the parts are marked written.</summary>
    private (int Part, List<string> Keys)[] ChangedPartsKeys()
    {
        var keys = new List<string>?[PairsPart.Parts];
        for (var part = 0; part < keys.Length; part++)
        {
            keys[part] = _partChanged[part] ? [] : null;
        }

        foreach (var itemId in Pairs.Keys)
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

    /// <summary>
    /// After the previous store (whose snapshots are older), the parts one after another, each copied when its turn
    /// comes (rows changed meanwhile go in as they are; rows added meanwhile mark their part changed again), then the
    /// rest. A part whose store failed is written again next time (its writer keeps the failure).
    /// </summary>
    private async Task StoreAsync(Task previous, (int Part, List<string> Keys)[] parts, CatalogShardState rest, TimeSpan spacing)
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
                snapshot.Rows.Add(itemId, Pairs[itemId].Copy());
            }

            try
            {
                await _partWriters[part].WriteAsync(snapshot);
            }
            catch (Exception)
            {
                // Judged by the next StartWrite, from the writer's last write.
            }

            if (spacing > TimeSpan.Zero)
            {
                await Task.Delay(spacing);
            }
        }

        await _writer.WriteAsync(rest);
    }
}

using System.Runtime.InteropServices;

namespace Personalization.Model;

/// <summary>
/// How often each item was recently served, as one server counted it: what exposure-aware re-ranking spreads. Counts
/// decay by volume (all halve every <paramref name="halfLifeSlots"/> served slots, and a count that falls under 0.5 is
/// forgotten), so the ledger follows what is shown now and holds only items served lately. Thread-safe and local:
/// serving never waits on the cluster for it.
/// </summary>
/// <remarks>
/// Halving is one step of an epoch, not a pass over the counts: each count is kept as of the epoch it last changed and
/// read as <c>value * 2^-(epochs since)</c>, the same float a halving per epoch gives. When each count falls under 0.5
/// is known when it changes, so the totals the pressure needs (live counts and their sum) follow without a pass: every
/// count's departure is booked in advance, and forgotten counts are swept from the dictionary a few per slot. A pass over
/// every count held the ledger's lock, and so every recommendation, for 15-38 ms at 100,000-300,000 served items
/// (docs/performance.md).
/// </remarks>
public sealed class ExposureLedger(int halfLifeSlots = 100_000)
{
    private readonly Dictionary<string, Count> _counts = new(StringComparer.Ordinal);

    /// <summary>For each coming epoch, the counts that fall under 0.5 at it and the sum of their values then.</summary>
    private readonly Dictionary<long, (int Counts, double Sum)> _departures = [];

    /// <summary>For each epoch, the items whose counts were booked to fall under 0.5 at it: swept a few per slot.</summary>
    private readonly Dictionary<long, List<string>> _leavingAt = [];

    /// <summary>The earliest epoch whose leaving items may not all be swept yet.</summary>
    private long _sweepEpoch;

    private readonly Lock _lock = new();
    private long _epoch;
    private long _slots;

    /// <summary>Counts still at 0.5 or more, and the sum of their values.</summary>
    private int _live;
    private double _total;

    /// <summary>Items the ledger holds: those served lately, and forgotten ones its sweep has not reached yet.</summary>
    public int Held
    {
        get
        {
            lock (_lock)
            {
                return _counts.Count;
            }
        }
    }

    public void Record(IEnumerable<string> itemIds)
    {
        lock (_lock)
        {
            foreach (var id in itemIds)
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, id, out var known);
                var value = known ? ValueNow(count) : 0f;
                var booked = count.Departure;
                if (value > 0)
                {
                    Book(count, -1);
                }
                else
                {
                    _live++;
                }

                count = new Count(value + 1, _epoch);
                Book(count, +1);
                // Departures only move later; an item already listed at its departure is not listed again.
                if (value == 0 || count.Departure != booked)
                {
                    LeavingAt(count.Departure).Add(id);
                }
                _total++;
                if (++_slots % halfLifeSlots == 0)
                {
                    Halve();
                }

                Sweep(2);
            }
        }
    }

    /// <summary>
    /// Each item's exposure pressure in [0, 1): <c>c / (c + m / 2)</c> for an item served <c>c</c> times, where
    /// <c>m</c> is the mean count of the items served lately. An item not shown lately has 0; one shown as often as the
    /// average served item already has 2/3, so the pressure falls on the many items shown more than their share.
    /// </summary>
    public float[] Pressure(IReadOnlyList<string> itemIds)
    {
        lock (_lock)
        {
            if (_live == 0)
            {
                return new float[itemIds.Count];
            }

            var halfMean = (float)(_total / _live / 2);
            return [.. itemIds.Select(id => _counts.TryGetValue(id, out var count) && ValueNow(count) is var c && c > 0 ? c / (c + halfMean) : 0f)];
        }
    }

    private void Halve()
    {
        _epoch++;
        _total /= 2;
        if (_departures.Remove(_epoch, out var leaving))
        {
            (_live, _total) = (_live - leaving.Counts, _total - leaving.Sum);
        }
    }

    /// <summary>
    /// Drops up to <paramref name="budget"/> forgotten counts from the dictionary. Each slot books one departure and
    /// sweeps up to two, so forgotten counts leave soon after their epoch without a pass over them all. An item booked
    /// at an epoch but counted again since has a later departure and stays.
    /// </summary>
    private void Sweep(int budget)
    {
        while (budget > 0 && _sweepEpoch <= _epoch)
        {
            if (!_leavingAt.TryGetValue(_sweepEpoch, out var ids) || ids.Count == 0)
            {
                _leavingAt.Remove(_sweepEpoch++);
                continue;
            }

            var id = ids[^1];
            ids.RemoveAt(ids.Count - 1);
            budget--;
            if (_counts.TryGetValue(id, out var count) && count.Departure == _sweepEpoch)
            {
                _counts.Remove(id);
            }
        }
    }

    private List<string> LeavingAt(long epoch)
    {
        ref var ids = ref CollectionsMarshal.GetValueRefOrAddDefault(_leavingAt, epoch, out _);
        return ids ??= [];
    }

    /// <summary>The count's value at the current epoch; 0 once it has fallen under 0.5.</summary>
    private float ValueNow(Count count) => _epoch < count.Departure ? count.At(_epoch) : 0f;

    /// <summary>Adds (<paramref name="sign"/> +1) or withdraws (-1) the count's booked departure.</summary>
    private void Book(Count count, int sign)
    {
        ref var departure = ref CollectionsMarshal.GetValueRefOrAddDefault(_departures, count.Departure, out _);
        departure = (departure.Counts + sign, departure.Sum + sign * (double)count.At(count.Departure));
        if (departure.Counts == 0)
        {
            _departures.Remove(count.Departure);
        }
    }

    /// <summary>A count's value as of <paramref name="Epoch"/> (at least 0.5 then).</summary>
    private readonly record struct Count(float Value, long Epoch)
    {
        /// <summary>The first epoch at which the value is under 0.5: after floor(log2 value) + 2 halvings.</summary>
        public long Departure => Epoch + MathF.ILogB(Value) + 2;

        public float At(long epoch) => MathF.ScaleB(Value, (int)(Epoch - epoch));
    }
}

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
/// every count would hold the ledger's lock, and so every recommendation, for as long as the ledger is large.
/// </remarks>
public sealed class ExposureLedger(int halfLifeSlots = 100_000)
{
    private readonly Dictionary<string, Count> _counts = new(StringComparer.Ordinal);

    /// <summary>What leaves at each epoch, from the coming ones back to the earliest not yet swept.</summary>
    private readonly Dictionary<long, Departures> _departures = [];

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
                var departures = Book(count, +1);
                // Departures only move later; an item already listed at its departure is not listed again.
                if (value == 0 || count.Departure != booked)
                {
                    departures.Items.Add(id);
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
        // Counted out here; the sweep drops the epoch's entry once its items are gone.
        if (_departures.TryGetValue(_epoch, out var leaving))
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
            if (!_departures.TryGetValue(_sweepEpoch, out var leaving) || leaving.Items.Count == 0)
            {
                _departures.Remove(_sweepEpoch++);
                continue;
            }

            var id = leaving.Items[^1];
            leaving.Items.RemoveAt(leaving.Items.Count - 1);
            budget--;
            if (_counts.TryGetValue(id, out var count) && count.Departure == _sweepEpoch)
            {
                _counts.Remove(id);
            }
        }
    }

    /// <summary>The count's value at the current epoch; 0 once it has fallen under 0.5.</summary>
    private float ValueNow(Count count) => _epoch < count.Departure ? count.At(_epoch) : 0f;

    /// <summary>Adds (<paramref name="sign"/> +1) or withdraws (-1) the count's booked departure; returns its epoch's entry.</summary>
    private Departures Book(Count count, int sign)
    {
        ref var departures = ref CollectionsMarshal.GetValueRefOrAddDefault(_departures, count.Departure, out _);
        departures ??= new Departures();
        departures.Counts += sign;
        departures.Sum += sign * (double)count.At(count.Departure);
        return departures;
    }

    /// <summary>
    /// The counts booked to fall under 0.5 at one epoch, the sum of their values then, and the items listed at it for
    /// the sweep (some since counted again, so booked later).
    /// </summary>
    private sealed class Departures
    {
        public int Counts { get; set; }

        public double Sum { get; set; }

        public List<string> Items { get; } = [];
    }

    /// <summary>A count's value as of <paramref name="Epoch"/> (at least 0.5 then).</summary>
    private readonly record struct Count(float Value, long Epoch)
    {
        /// <summary>The first epoch at which the value is under 0.5: after floor(log2 value) + 2 halvings.</summary>
        public long Departure => Epoch + MathF.ILogB(Value) + 2;

        public float At(long epoch) => MathF.ScaleB(Value, (int)(Epoch - epoch));
    }
}

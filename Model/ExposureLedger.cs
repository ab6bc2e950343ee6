namespace Personalization.Model;

/// <summary>
/// How often each item was recently served, as one server counted it: what exposure-aware re-ranking spreads. Counts
/// decay by volume (all halve every <paramref name="halfLifeSlots"/> served slots), so the ledger follows what is shown
/// now and holds only items served lately. Thread-safe and local: serving never waits on the cluster for it.
/// </summary>
public sealed class ExposureLedger(int halfLifeSlots = 100_000)
{
    private readonly Dictionary<string, float> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _slots;
    private double _total;

    public void Record(IEnumerable<string> itemIds)
    {
        lock (_lock)
        {
            foreach (var id in itemIds)
            {
                _counts[id] = _counts.GetValueOrDefault(id) + 1;
                _total++;
                if (++_slots % halfLifeSlots == 0)
                {
                    Halve();
                }
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
            if (_counts.Count == 0)
            {
                return new float[itemIds.Count];
            }

            var halfMean = (float)(_total / _counts.Count / 2);
            return [.. itemIds.Select(id => _counts.GetValueOrDefault(id) is var c && c > 0 ? c / (c + halfMean) : 0f)];
        }
    }

    private void Halve()
    {
        _total = 0;
        foreach (var id in _counts.Keys.ToList())
        {
            var half = _counts[id] / 2;
            if (half < 0.5f)
            {
                _counts.Remove(id);
            }
            else
            {
                _counts[id] = half;
                _total += half;
            }
        }
    }
}

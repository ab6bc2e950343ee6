namespace Personalization.Model;

/// <summary>A user's affinity to the items of their history, as the co-occurrence part of the score weighs them.</summary>
public static class Affinity
{
    /// <summary>
    /// The most recent <paramref name="count"/> distinct items with their summed event weights. Each event weighs
    /// <c>weight * (1 + recentBoost * 0.5^(age / halfLife))</c>, its age taken at <paramref name="asOf"/>: the long-term
    /// taste, plus a boost for what the user is doing right now that fades once they have gone idle. Items whose
    /// affinity is not positive (disliked, skipped) are left out. Newest first. <paramref name="read"/> takes an event
    /// apart, so that a history is read where it is kept, not copied first.
    /// </summary>
    public static (string ItemId, float Weight)[] Recent<TEvent>(
        IReadOnlyList<TEvent> oldestFirst,
        Func<TEvent, (string ItemId, float Weight, DateTimeOffset At)> read,
        int count,
        DateTimeOffset asOf,
        TimeSpan halfLife,
        float recentBoost)
    {
        // Sized for the most items the history can hold: growing the dictionary step by step was most of its bytes.
        var capacity = Math.Min(count, oldestFirst.Count);
        var order = new List<string>(capacity);
        var sums = new Dictionary<string, double>(capacity, StringComparer.Ordinal);
        for (var i = oldestFirst.Count - 1; i >= 0; i--)
        {
            var (itemId, weight, at) = read(oldestFirst[i]);
            if (!sums.ContainsKey(itemId))
            {
                if (order.Count == count)
                {
                    continue;
                }

                order.Add(itemId);
                sums[itemId] = 0;
            }

            var age = Math.Max(0, (asOf - at) / halfLife);
            sums[itemId] += weight * (1 + recentBoost * Math.Pow(0.5, age));
        }

        return [.. order.Where(id => sums[id] > 0).Select(id => (id, (float)sums[id]))];
    }
}

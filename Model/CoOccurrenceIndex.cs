namespace Personalization.Model;

/// <summary>
/// Incremental item-to-item co-occurrence as one catalog shard keeps it: how many users engaged with each item (any item,
/// since every shard hears every engagement) and, for every item, with how many of this shard's items it shares a user.
/// Scoring an owned item sums the Jaccard similarity <c>c / (n_i + n_j - c)</c> to each of the user's history items,
/// weighted by the user's affinity. The counts after one pass equal the batch counts, whatever the order of events.
/// </summary>
/// <param name="occurrences">Distinct users per item id (mutated in place: the caller persists it).</param>
/// <param name="pairs">For an item id, the users it shares with each owned slot (mutated in place).</param>
public sealed class CoOccurrenceIndex(Dictionary<string, int> occurrences, Dictionary<string, Dictionary<int, int>> pairs)
{
    private readonly List<int> _slotOccurrences = [];

    /// <summary>Registers the next owned slot (call in slot order, also for slots restored from storage).</summary>
    public void AddSlot(string itemId) => _slotOccurrences.Add(occurrences.GetValueOrDefault(itemId));

    /// <summary>
    /// A user engaged with <paramref name="itemId"/> for the first time, having engaged before with
    /// <paramref name="previous"/>. Slots are given for the items this shard owns, null otherwise.
    /// </summary>
    public void Record(string itemId, int? slot, IReadOnlyList<(string ItemId, int? Slot)> previous)
    {
        occurrences[itemId] = occurrences.GetValueOrDefault(itemId) + 1;
        if (slot is { } owned)
        {
            _slotOccurrences[owned]++;
        }

        foreach (var (otherId, otherSlot) in previous)
        {
            if (otherId == itemId)
            {
                continue;
            }

            if (slot is { } ownedItem)
            {
                Increment(otherId, ownedItem);
            }

            if (otherSlot is { } ownedOther)
            {
                Increment(itemId, ownedOther);
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="scores"/> (one entry per owned slot) the affinity-weighted mean Jaccard similarity of each
    /// slot to the history. Weights should be positive; the result lies in [0, 1].
    /// </summary>
    public void Score(IReadOnlyList<(string ItemId, float Weight)> history, Span<float> scores, float scale)
    {
        var total = history.Sum(h => h.Weight);
        if (total <= 0)
        {
            return;
        }

        foreach (var (itemId, weight) in history)
        {
            if (!pairs.TryGetValue(itemId, out var row))
            {
                continue;
            }

            var n = occurrences.GetValueOrDefault(itemId);
            var w = scale * weight / total;
            foreach (var (slot, shared) in row)
            {
                scores[slot] += w * shared / (n + _slotOccurrences[slot] - shared);
            }
        }
    }

    private void Increment(string itemId, int slot)
    {
        if (!pairs.TryGetValue(itemId, out var row))
        {
            pairs[itemId] = row = [];
        }

        row[slot] = row.GetValueOrDefault(slot) + 1;
    }
}

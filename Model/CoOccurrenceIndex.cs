using System.Runtime.InteropServices;

namespace Personalization.Model;

/// <summary>
/// Incremental item-to-item co-occurrence as one catalog shard keeps it: how many users engaged with each item (any item,
/// since every shard hears every engagement) and, for every item, how many users (weighted) it shares with each of this
/// shard's items. Scoring an owned item sums its similarity to each of the user's history items, weighted by the user's
/// affinity. Pairs are counted within a window of the user's latest items (the window keeps the counts bounded and
/// favours items engaged with close together in time), weighted down for users with a long history in that window.
/// </summary>
public sealed class CoOccurrenceIndex
{
    private readonly Dictionary<string, int> _occurrences;
    private readonly Dictionary<string, PairRow> _pairs;
    private readonly float _similarityExponent;
    private readonly Action<string>? _rowChanged;
    private readonly List<int> _slotOccurrences = [];

    /// <summary><c>n^-exponent</c> of each owned slot, kept with its count so that scoring a pair needs no power.</summary>
    private readonly List<float> _slotFactors = [];

    /// <param name="occurrences">Distinct users per item id (mutated in place: the caller persists it).</param>
    /// <param name="pairs">For an item id, the users it shares with each owned slot (mutated in place).</param>
    /// <param name="similarityExponent">How much rarer candidates are favoured (see <see cref="Score"/>).</param>
    /// <param name="rowChanged">Told, once per engagement, the item id of each row it adds to, so that the caller stores only those.</param>
    public CoOccurrenceIndex(
        Dictionary<string, int> occurrences, Dictionary<string, PairRow> pairs, float similarityExponent, Action<string>? rowChanged = null)
    {
        (_occurrences, _pairs, _similarityExponent, _rowChanged) = (occurrences, pairs, similarityExponent, rowChanged);
        foreach (var (itemId, row) in pairs)
        {
            row.Occurrences = occurrences.GetValueOrDefault(itemId);
        }
    }

    /// <summary>Registers the next owned slot (call in slot order, also for slots restored from storage).</summary>
    public void AddSlot(string itemId)
    {
        var n = _occurrences.GetValueOrDefault(itemId);
        _slotOccurrences.Add(n);
        _slotFactors.Add(CandidateFactor(n));
    }

    /// <summary>
    /// A user engaged with <paramref name="itemId"/> for the first time, having engaged before with
    /// <paramref name="earlierItems"/> items of the window: all of them are in <paramref name="previous"/> when this
    /// shard owns <paramref name="itemId"/>, otherwise at least those it owns (only they change its counts). Slots are
    /// given for the items this shard owns, null otherwise. Each pair counts <c>(earlierItems + 1)^-userDegreeExponent</c>:
    /// a user who engaged with everything says less about any one pair.
    /// </summary>
    public void Record(string itemId, int? slot, IReadOnlyList<(string ItemId, int? Slot)> previous, int earlierItems, float userDegreeExponent)
    {
        var amount = MathF.Pow(earlierItems + 1, -userDegreeExponent);
        var occurrences = ++CollectionsMarshal.GetValueRefOrAddDefault(_occurrences, itemId, out _);
        // Looked up once: the loop adds the engaged item's entries to this row (made there if it has none yet).
        if (_pairs.TryGetValue(itemId, out var itemRow))
        {
            itemRow.Occurrences = occurrences;
        }

        if (slot is { } owned)
        {
            _slotFactors[owned] = CandidateFactor(++CollectionsMarshal.AsSpan(_slotOccurrences)[owned]);
        }

        var itemRowChanged = false;
        foreach (var (otherId, otherSlot) in previous)
        {
            if (otherId == itemId)
            {
                continue;
            }

            if (slot is { } ownedItem)
            {
                Row(otherId).Add(ownedItem, amount);
                _rowChanged?.Invoke(otherId);
            }

            if (otherSlot is { } ownedOther)
            {
                (itemRow ??= Row(itemId)).Add(ownedOther, amount);
                itemRowChanged = true;
            }
        }

        // The engaged item's row takes an entry per owned earlier item: told once, not once per entry.
        if (itemRowChanged)
        {
            _rowChanged?.Invoke(itemId);
        }
    }

    /// <summary>
    /// Adds to <paramref name="scores"/> (one entry per owned slot), times <paramref name="scale"/>, the affinity-weighted
    /// mean similarity of each slot to the history: <c>c / (n_candidate^exponent * n_history^(1 - exponent))</c>, the
    /// cosine at 0.5; a larger exponent favours rarer candidates. Weights should be positive. Returns how many row
    /// entries were added (0: no slot shares users with the history); <see cref="Clear"/> undoes them.
    /// </summary>
    public int Score(IReadOnlyList<(string ItemId, float Weight)> history, Span<float> scores, float scale)
    {
        var factors = CollectionsMarshal.AsSpan(_slotFactors);
        var total = history.Sum(h => h.Weight);
        if (total <= 0)
        {
            return 0;
        }

        var entries = 0;
        foreach (var (itemId, weight) in history)
        {
            if (!_pairs.TryGetValue(itemId, out var row))
            {
                continue;
            }

            var w = scale * weight / total * MathF.Pow(Math.Max(1, row.Occurrences), _similarityExponent - 1);
            // No branch per entry (whether a slot was seen before is a coin toss the CPU mispredicts): Clear finds them again.
            foreach (var entry in row.Entries)
            {
                scores[entry.Slot] += w * entry.Count * factors[entry.Slot];
            }

            entries += row.Count;
        }

        return entries;
    }

    /// <summary>
    /// Sets back to zero what <see cref="Score"/> added for the same history: the whole span when that is cheaper (a
    /// dense history over a small shard), otherwise the history's entries one by one (a large shard).
    /// </summary>
    public void Clear(IReadOnlyList<(string ItemId, float Weight)> history, int entries, Span<float> scores)
    {
        if (entries >= scores.Length / 16)
        {
            scores.Clear();
            return;
        }

        foreach (var (itemId, _) in history)
        {
            if (_pairs.TryGetValue(itemId, out var row))
            {
                foreach (var entry in row.Entries)
                {
                    scores[entry.Slot] = 0;
                }
            }
        }
    }

    private float CandidateFactor(int occurrences) => MathF.Pow(Math.Max(1, occurrences), -_similarityExponent);

    /// <summary>The row of <paramref name="itemId"/>, made with the item's count if it has none.</summary>
    private PairRow Row(string itemId)
    {
        // One hash lookup (this runs about twenty times per engagement on every shard).
        ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairs, itemId, out _);
        return row ??= new PairRow { Occurrences = _occurrences.GetValueOrDefault(itemId) };
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Personalization.Model;

/// <summary>
/// One item's co-occurrence row in a shard: for each owned slot it shares users with, the (weighted) count. Entries sit
/// densely in one array, slot beside count, in the order they were first counted, so that scoring a history streams
/// one plain array per row (a dictionary's enumeration cost three times as much per entry; two arrays, slots and
/// counts, a third more than one); an open-addressing index over them finds the entry an update adds to.
/// </summary>
public sealed class PairRow
{
    private PairEntry[] _entries;

    /// <summary>
    /// Position + 1 of each entry at the hash of its slot (0: empty); a power of two, at least twice the capacity. Built
    /// on the first update: rows read from storage or copied for it are mostly only scored.
    /// </summary>
    private int[]? _index;

    public PairRow()
        : this([], 0)
    {
    }

    /// <summary>A row of the first <paramref name="count"/> entries of the array (distinct slots), which it takes over.</summary>
    public PairRow(PairEntry[] entries, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, entries.Length);
        (_entries, Count) = (entries, count);
    }

    public int Count { get; private set; }

    /// <summary>
    /// Distinct users of the row's own item, a copy of <see cref="CoOccurrenceIndex"/>'s count kept here so that scoring a
    /// history item looks it up once (each lookup by id misses the cache on its entry and key). Not stored: the index
    /// sets it from its counts.
    /// </summary>
    public int Occurrences { get; internal set; }

    public ReadOnlySpan<PairEntry> Entries => _entries.AsSpan(0, Count);

    /// <summary>A copy holding just the entries (no spare capacity, no index).</summary>
    public PairRow Copy() => new(Entries.ToArray(), Count) { Occurrences = Occurrences };

    public void Add(int slot, float amount)
    {
        if (_index is null)
        {
            Reindex(Math.Max(4, _entries.Length));
        }

        var bucket = Find(slot);
        if (_index[bucket] == 0)
        {
            if (Count == _entries.Length)
            {
                var capacity = Math.Max(4, _entries.Length * 2);
                Array.Resize(ref _entries, capacity);
                Reindex(capacity);
                bucket = Find(slot);
            }

            _entries[Count] = new PairEntry(slot, 0);
            _index[bucket] = ++Count;
        }

        _entries[_index[bucket] - 1].Count += amount;
    }

    /// <summary>The bucket holding <paramref name="slot"/>, or the empty one where it would go (linear probing).</summary>
    private int Find(int slot)
    {
        var index = _index!;
        var mask = index.Length - 1;
        var bucket = (int)(((uint)slot * 0x9E3779B9u) >> (32 - BitOperations.Log2((uint)index.Length))) & mask;
        while (index[bucket] != 0 && _entries[index[bucket] - 1].Slot != slot)
        {
            bucket = (bucket + 1) & mask;
        }

        return bucket;
    }

    [MemberNotNull(nameof(_index))]
    private void Reindex(int capacity)
    {
        _index = new int[IndexLength(capacity)];
        for (var position = 0; position < Count; position++)
        {
            _index[Find(_entries[position].Slot)] = position + 1;
        }
    }

    private static int IndexLength(int capacity) => (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
}

/// <summary>An owned slot of a <see cref="PairRow"/> and the (weighted) users it shares with the row's item.</summary>
public struct PairEntry(int slot, float count)
{
    public int Slot = slot;
    public float Count = count;
}

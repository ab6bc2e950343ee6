namespace Personalization.Model;

/// <summary>
/// The most recently touched distinct keys, up to a capacity; touching a key again makes it the newest. Used for the
/// items a user has interacted with ("seen"). The order is a doubly linked list kept in arrays of slot numbers: reading
/// the newest keys, which every first engagement does, walks two small arrays rather than list nodes scattered over the
/// heap. Most users touch a few items: up to <see cref="ScanLimit"/> keys are found by a scan of the keys array, and
/// only a larger set pays for a dictionary from keys to slots.
/// </summary>
public sealed class RecentSet
{
    /// <summary>Keys found by scanning: a scan of this many is about as fast as a hash lookup and allocates nothing.</summary>
    public const int ScanLimit = 16;

    private const int None = -1;

    private Dictionary<string, int>? _slots;
    private int _count;
    private string[] _keys = [];
    private int[] _older = [];
    private int[] _newer = [];
    private int _oldest = None;
    private int _newest = None;

    public RecentSet(int capacity, IEnumerable<string>? oldestFirst = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        foreach (var key in oldestFirst ?? [])
        {
            Touch(key);
        }
    }

    public int Capacity { get; }

    public int Count => _count;

    public bool Contains(string key) => SlotOf(key) != None;

    public void Touch(string key)
    {
        var slot = SlotOf(key);
        if (slot != None)
        {
            if (slot == _newest)
            {
                return;
            }

            Unlink(slot);
        }
        else if (_count == Capacity)
        {
            // Full: the oldest key gives up its slot.
            slot = _oldest;
            _slots?.Remove(_keys[slot]);
            Unlink(slot);
        }
        else
        {
            // Keys are only ever removed by eviction, so the slots in use are 0 .. Count - 1.
            slot = _count++;
            if (slot == _keys.Length)
            {
                Grow();
            }
        }

        _keys[slot] = key;
        if (_slots is not null)
        {
            _slots[key] = slot;
        }
        else if (_count > ScanLimit)
        {
            _slots = new Dictionary<string, int>(_count, StringComparer.Ordinal);
            for (var i = 0; i < _count; i++)
            {
                _slots[_keys[i]] = i;
            }
        }

        (_older[slot], _newer[slot]) = (_newest, None);
        if (_newest == None)
        {
            _oldest = slot;
        }
        else
        {
            _newer[_newest] = slot;
        }

        _newest = slot;
    }

    /// <summary>Keys from oldest to newest (the order to persist and to rebuild from).</summary>
    public List<string> OldestFirst()
    {
        var keys = new List<string>(Count);
        for (var slot = _oldest; slot != None; slot = _newer[slot])
        {
            keys.Add(_keys[slot]);
        }

        return keys;
    }

    /// <summary>The newest <paramref name="count"/> keys (fewer when the set holds fewer), newest first.</summary>
    public string[] Newest(int count)
    {
        var keys = new string[Math.Min(count, Count)];
        var slot = _newest;
        for (var i = 0; i < keys.Length; i++, slot = _older[slot])
        {
            keys[i] = _keys[slot];
        }

        return keys;
    }

    private int SlotOf(string key)
    {
        if (_slots is not null)
        {
            return _slots.TryGetValue(key, out var slot) ? slot : None;
        }

        for (var slot = 0; slot < _count; slot++)
        {
            if (string.Equals(_keys[slot], key, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return None;
    }

    private void Unlink(int slot)
    {
        var (older, newer) = (_older[slot], _newer[slot]);
        if (older == None)
        {
            _oldest = newer;
        }
        else
        {
            _newer[older] = newer;
        }

        if (newer == None)
        {
            _newest = older;
        }
        else
        {
            _older[newer] = older;
        }
    }

    private void Grow()
    {
        var length = Math.Min(Capacity, Math.Max(4, _keys.Length * 2));
        Array.Resize(ref _keys, length);
        Array.Resize(ref _older, length);
        Array.Resize(ref _newer, length);
    }
}

using System.Globalization;

namespace Personalization.Silo.Journal;

/// <summary>
/// Where each user's live journal rows are in a log written in time order: (sequence, row id) per user, ordered by
/// sequence. Users are told apart by the first 128 bits of their key (an HMAC-SHA256). Thread-safe.
/// </summary>
public sealed class JournalIndex
{
    private readonly Dictionary<UInt128, List<(long Sequence, long RowId)>> _rows = [];
    private readonly Lock _lock = new();

    /// <summary>The index key of a journal user key (HMAC-SHA256 in hex).</summary>
    public static UInt128 KeyOf(string userKey) => UInt128.Parse(userKey.AsSpan(0, 32), NumberStyles.AllowHexSpecifier);

    public bool Contains(UInt128 user, long sequence)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue(user, out var rows))
            {
                return false;
            }

            foreach (var row in rows)
            {
                if (row.Sequence == sequence)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Add(UInt128 user, long sequence, long rowId)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue(user, out var rows))
            {
                _rows[user] = rows = new List<(long, long)>(1);
            }

            // Sequences arrive in order but for a rebuild from rows in another order: keep the list sorted.
            var at = rows.Count;
            while (at > 0 && rows[at - 1].Sequence > sequence)
            {
                at--;
            }

            rows.Insert(at, (sequence, rowId));
        }
    }

    /// <summary>Row ids of the user's entries with a sequence in (after, through], in sequence order.</summary>
    public long[] RowIds(UInt128 user, long after, long through)
    {
        lock (_lock)
        {
            return _rows.TryGetValue(user, out var rows)
                ? [.. rows.Where(r => r.Sequence > after && r.Sequence <= through).Select(r => r.RowId)]
                : [];
        }
    }

    /// <summary>Forgets the user's entries up to <paramref name="through"/> (their rows have been deleted).</summary>
    public void Remove(UInt128 user, long through)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(user, out var rows))
            {
                rows.RemoveAll(r => r.Sequence <= through);
                if (rows.Count == 0)
                {
                    _rows.Remove(user);
                }
            }
        }
    }
}

namespace Personalization.Model;

/// <summary>A scored candidate: <see cref="Index"/> is the caller's position (item slot, list index).</summary>
public readonly record struct Scored(int Index, float Score);

/// <summary>
/// Keeps the k best candidates seen so far in a min-heap: O(n log k) over a scan, never sorting the whole catalog.
/// Ties go to the lower index so that results are deterministic.
/// </summary>
public sealed class TopK
{
    private readonly Scored[] _heap;
    private int _count;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        _heap = new Scored[k];
    }

    public int Count => _count;

    /// <summary>How many candidates it keeps at most.</summary>
    public int Capacity => _heap.Length;

    /// <summary>The kept candidates in heap order (no sort, no copy): valid until the next <see cref="Add"/>.</summary>
    public ReadOnlySpan<Scored> Unordered => _heap.AsSpan(0, _count);

    /// <summary>The score a candidate has to beat to enter (negative infinity until full).</summary>
    public float Threshold => _count < _heap.Length ? float.NegativeInfinity : _heap[0].Score;

    public void Add(int index, float score)
    {
        var candidate = new Scored(index, score);
        if (_count < _heap.Length)
        {
            _heap[_count] = candidate;
            SiftUp(_count++);
        }
        else if (Better(candidate, _heap[0]))
        {
            _heap[0] = candidate;
            SiftDown(0);
        }
    }

    /// <summary>The kept candidates, best first.</summary>
    public Scored[] ToSortedArray()
    {
        var result = _heap.AsSpan(0, _count).ToArray();
        Array.Sort(result, (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return result;
    }

    private static bool Better(Scored a, Scored b) => a.Score > b.Score || (a.Score == b.Score && a.Index < b.Index);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(_heap[parent], _heap[i]))
            {
                break;
            }

            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var worst = i;
            var left = 2 * i + 1;
            var right = left + 1;
            if (left < _count && Better(_heap[worst], _heap[left]))
            {
                worst = left;
            }

            if (right < _count && Better(_heap[worst], _heap[right]))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}

using System.Runtime.InteropServices;

namespace Personalization.Model;

/// <summary>
/// Rows of <typeparamref name="T"/> in chunks of native memory, outside the GC heap: the collector neither scans nor
/// copies them, and keeps no committed headroom in proportion to them (for a heap of item vectors it held about as much
/// again). A chunk is allocated zeroed (untouched pages cost no resident memory), never moved, and freed with the rows
/// once they are unreachable, so a scan still holding them can never read freed memory.
/// </summary>
public sealed unsafe class NativeRows<T>(int rowLength, int rowsPerChunk) where T : unmanaged
{
    private readonly List<nint> _chunks = [];

    ~NativeRows()
    {
        foreach (var chunk in _chunks)
        {
            NativeMemory.Free((void*)chunk);
        }
    }

    public int Capacity => _chunks.Count * rowsPerChunk;

    /// <summary>Room for rows 0 .. <paramref name="rows"/> - 1, a chunk at a time.</summary>
    public void EnsureRows(int rows)
    {
        while (Capacity < rows)
        {
            _chunks.Add((nint)NativeMemory.AllocZeroed((nuint)rowsPerChunk * (nuint)rowLength, (nuint)sizeof(T)));
        }
    }

    /// <summary>Row <paramref name="row"/> and the rows after it in its chunk.</summary>
    public Span<T> From(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Capacity);
        var inChunk = row % rowsPerChunk;
        return new Span<T>((T*)_chunks[row / rowsPerChunk] + (long)inChunk * rowLength, (rowsPerChunk - inChunk) * rowLength);
    }

    public Span<T> Row(int row) => From(row)[..rowLength];
}

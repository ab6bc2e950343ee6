using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Personalization.Model;

/// <summary>
/// A copy of item vectors at 8 bits per component with one scale per row: a quarter of the bytes a float32 scan reads,
/// for a first pass whose shortlist is re-scored exactly. Components are stored offset by 128 (unsigned) and the query
/// is quantized to 7 bits, so that AVX-512 multiplies 64 components per instruction (<c>vpmaddubsw</c>: the sum of two
/// products, at most 2 * 255 * 63, fits 16 bits) and the offset is taken off once per row. Rows and scales are kept in
/// native chunks of <paramref name="rowsPerChunk"/> rows (<see cref="NativeRows{T}"/>), never copied to grow.
/// </summary>
public sealed class QuantizedRows(int dimension, int rowsPerChunk)
{
    private const int Offset = 128;

    /// <summary>Largest quantized query component (see the class remarks).</summary>
    private const int QueryLevels = 63;

    private readonly NativeRows<byte> _rows = new(dimension, rowsPerChunk);
    private readonly NativeRows<float> _scales = new(1, rowsPerChunk);

    public int Dimension => dimension;

    /// <summary>Stores <paramref name="vector"/> as row <paramref name="row"/>, growing the storage as needed.</summary>
    public void Set(int row, ReadOnlySpan<float> vector)
    {
        _rows.EnsureRows(row + 1);
        _scales.EnsureRows(row + 1);
        // MaxMagnitude returns the element itself, sign included.
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        var scale = max > 0 ? max / sbyte.MaxValue : 1f;
        var values = _rows.Row(row);
        for (var j = 0; j < dimension; j++)
        {
            values[j] = (byte)(MathF.Round(vector[j] / scale) + Offset);
        }

        _scales.Row(row)[0] = scale;
    }

    /// <summary>Quantizes a query into <paramref name="quantized"/>; returns the scale that turns its dot products back into floats.</summary>
    public static float QuantizeQuery(ReadOnlySpan<float> query, Span<sbyte> quantized)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(query));
        var scale = max > 0 ? max / QueryLevels : 1f;
        for (var j = 0; j < query.Length; j++)
        {
            quantized[j] = (sbyte)MathF.Round(query[j] / scale);
        }

        return scale;
    }

    /// <summary>
    /// Approximate <c>query . row</c> for the rows from <paramref name="start"/> on, one per entry of
    /// <paramref name="scores"/>, all within one chunk.
    /// </summary>
    public void Dots(ReadOnlySpan<sbyte> query, float queryScale, int start, Span<float> scores)
    {
        var d = dimension;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start % rowsPerChunk + scores.Length, rowsPerChunk, nameof(scores));
        var values = _rows.From(start)[..(scores.Length * d)];
        var scales = _scales.From(start)[..scores.Length];
        var offset = 0;
        foreach (var q in query)
        {
            offset += Offset * q;
        }

        var i = 0;
        if (Avx512BW.IsSupported && Sse3.IsSupported && d % Vector512<byte>.Count == 0)
        {
            ref var q = ref MemoryMarshal.GetReference(query);
            ref var row = ref MemoryMarshal.GetReference(values);
            var ones = Vector512<short>.One;
            var (factor, correction) = (Vector128.Create(queryScale), Vector128.Create((float)offset));
            for (; i + 4 <= scores.Length; i += 4, row = ref Unsafe.Add(ref row, 4 * d))
            {
                Vector512<int> a = default, b = default, c = default, e = default;
                for (var j = 0; j < d; j += Vector512<byte>.Count)
                {
                    var x = Vector512.LoadUnsafe(ref q, (nuint)j);
                    a += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref row, (nuint)j), x), ones);
                    b += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref row, (nuint)(d + j)), x), ones);
                    c += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref row, (nuint)(2 * d + j)), x), ones);
                    e += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref row, (nuint)(3 * d + j)), x), ones);
                }

                // Exact integer quarters; their conversion to float loses at most 2^-24 of each.
                var sums = RowDots.Sum4(Fold(a), Fold(b), Fold(c), Fold(e)) - correction;
                (sums * Vector128.Create(scales.Slice(i, 4)) * factor).CopyTo(scores[i..]);
            }
        }

        for (; i < scores.Length; i++)
        {
            var sum = -offset;
            for (var j = 0; j < d; j++)
            {
                sum += values[i * d + j] * query[j];
            }

            scores[i] = sum * scales[i] * queryScale;
        }

        // The spans point into native chunks that the rows' finalizer frees: they stay reachable until read.
        GC.KeepAlive(_rows);
        GC.KeepAlive(_scales);
    }

    private static Vector128<float> Fold(Vector512<int> v) => Vector128.ConvertToSingle(RowDots.Fold(v));
}

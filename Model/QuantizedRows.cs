using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Personalization.Model;

/// <summary>
/// A copy of item vectors at 8 bits per component with one scale per row: a quarter of the bytes a float32 scan reads,
/// for a first pass whose shortlist is re-scored exactly. The query is quantized to 13 bits, so the int32 sums cannot
/// overflow below d = 2048.
/// </summary>
public sealed class QuantizedRows(int dimension)
{
    /// <summary>Largest quantized query component: 127 * 8191 * 2048 stays below 2^31.</summary>
    private const int QueryLevels = 8191;

    private sbyte[] _values = [];
    private float[] _scales = [];

    public int Dimension => dimension;

    /// <summary>Stores <paramref name="vector"/> as row <paramref name="row"/>, growing the storage as needed.</summary>
    public void Set(int row, ReadOnlySpan<float> vector)
    {
        if (_scales.Length <= row)
        {
            var capacity = Math.Max(row + 1, _scales.Length * 3 / 2);
            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _values, capacity * dimension);
        }

        // MaxMagnitude returns the element itself, sign included.
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        var scale = max > 0 ? max / sbyte.MaxValue : 1f;
        var values = _values.AsSpan(row * dimension, dimension);
        for (var j = 0; j < dimension; j++)
        {
            values[j] = (sbyte)MathF.Round(vector[j] / scale);
        }

        _scales[row] = scale;
    }

    /// <summary>Quantizes a query into <paramref name="quantized"/>; returns the scale that turns its dot products back into floats.</summary>
    public static float QuantizeQuery(ReadOnlySpan<float> query, Span<short> quantized)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(query));
        var scale = max > 0 ? max / QueryLevels : 1f;
        for (var j = 0; j < query.Length; j++)
        {
            quantized[j] = (short)MathF.Round(query[j] / scale);
        }

        return scale;
    }

    /// <summary>Approximate <c>query . row</c> for the rows from <paramref name="start"/> on, one per entry of <paramref name="scores"/>.</summary>
    public void Dots(ReadOnlySpan<short> query, float queryScale, int start, Span<float> scores)
    {
        var d = dimension;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + scores.Length, _scales.Length, nameof(scores));
        var scales = _scales.AsSpan(start, scores.Length);
        var i = 0;
        if (Avx512BW.IsSupported && Sse3.IsSupported && d % Vector512<short>.Count == 0)
        {
            ref var q = ref MemoryMarshal.GetReference(query);
            ref var row = ref _values[start * d];
            var factor = Vector128.Create(queryScale);
            for (; i + 4 <= scores.Length; i += 4, row = ref Unsafe.Add(ref row, 4 * d))
            {
                // Sign-extend 32 components to 16 bits, multiply by the query and add adjacent pairs into 16 int32 lanes.
                Vector512<int> a = default, b = default, c = default, e = default;
                for (var j = 0; j < d; j += Vector512<short>.Count)
                {
                    var x = Vector512.LoadUnsafe(ref q, (nuint)j);
                    a += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row, (nuint)j)), x);
                    b += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row, (nuint)(d + j))), x);
                    c += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row, (nuint)(2 * d + j))), x);
                    e += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row, (nuint)(3 * d + j))), x);
                }

                // Exact integer quarters; their conversion to float loses at most 2^-24 of each.
                var sums = RowDots.Sum4(Fold(a), Fold(b), Fold(c), Fold(e));
                (sums * Vector128.Create(scales.Slice(i, 4)) * factor).CopyTo(scores[i..]);
            }
        }

        var values = _values.AsSpan(start * d, scores.Length * d);
        for (; i < scores.Length; i++)
        {
            var sum = 0;
            for (var j = 0; j < d; j++)
            {
                sum += values[i * d + j] * query[j];
            }

            scores[i] = sum * scales[i] * queryScale;
        }
    }
    private static Vector128<float> Fold(Vector512<int> v) => Vector128.ConvertToSingle(RowDots.Fold(v));
}

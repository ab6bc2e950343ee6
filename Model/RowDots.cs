using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Personalization.Model;

/// <summary>
/// Dot products of one query with consecutive rows of a contiguous row-major matrix: the inner loop of a catalog scan.
/// With AVX-512, four rows at a time with fused multiply-adds and one shared horizontal reduction (a sum per row costs
/// as much as the row's multiplies at d = 64); else Vector256 per row; else one <see cref="TensorPrimitives.Dot"/> per row.
/// </summary>
public static class RowDots
{
    /// <summary><c>scores[i] = query . rows[i*d .. (i+1)*d)</c> for every <c>i &lt; scores.Length</c>, d = query length.</summary>
    public static void Compute(ReadOnlySpan<float> rows, ReadOnlySpan<float> query, Span<float> scores)
    {
        var d = query.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(rows.Length, scores.Length * d, nameof(rows));
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var row = ref MemoryMarshal.GetReference(rows);
        var i = 0;
        if (Vector512.IsHardwareAccelerated && Sse3.IsSupported && d % Vector512<float>.Count == 0)
        {
            for (; i + 4 <= scores.Length; i += 4, row = ref Unsafe.Add(ref row, 4 * d))
            {
                Vector512<float> a = default, b = default, c = default, e = default;
                for (var j = 0; j < d; j += Vector512<float>.Count)
                {
                    var x = Vector512.LoadUnsafe(ref q, (nuint)j);
                    a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)j), x, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)(d + j)), x, b);
                    c = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)(2 * d + j)), x, c);
                    e = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)(3 * d + j)), x, e);
                }

                Reduce4(a, b, c, e).CopyTo(scores[i..]);
            }
        }

        if (Vector256.IsHardwareAccelerated && d % Vector256<float>.Count == 0)
        {
            for (; i < scores.Length; i++, row = ref Unsafe.Add(ref row, d))
            {
                var sum = Vector256<float>.Zero;
                for (var j = 0; j < d; j += Vector256<float>.Count)
                {
                    sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)j), Vector256.LoadUnsafe(ref q, (nuint)j), sum);
                }

                scores[i] = Vector256.Sum(sum);
            }
        }

        for (; i < scores.Length; i++)
        {
            scores[i] = TensorPrimitives.Dot(rows.Slice(i * d, d), query);
        }
    }

    /// <summary>The lane sums of four vectors, in order (two horizontal adds instead of four full reductions).</summary>
    internal static Vector128<float> Reduce4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) =>
        Sum4(Fold(a), Fold(b), Fold(c), Fold(d));

    internal static Vector128<float> Sum4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) =>
        Sse3.HorizontalAdd(Sse3.HorizontalAdd(a, b), Sse3.HorizontalAdd(c, d));

    /// <summary>Adds the four 128-bit quarters of <paramref name="v"/>.</summary>
    internal static Vector128<T> Fold<T>(Vector512<T> v)
    {
        var half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}

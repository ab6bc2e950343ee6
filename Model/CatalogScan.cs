using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Personalization.Model;

/// <summary>
/// The terms of a shard's score, one entry per item slot: <c>coOccurrence[i] + vector . item_i + popularityWeight *
/// popularity[i]</c> (the popularity term only when the weight is positive). An empty vector adds nothing.
/// </summary>
public readonly ref struct ScanTerms(ReadOnlySpan<float> vector, ReadOnlySpan<float> coOccurrence, ReadOnlySpan<float> popularity, float popularityWeight)
{
    public ReadOnlySpan<float> Vector { get; } = vector;

    public ReadOnlySpan<float> CoOccurrence { get; } = coOccurrence;

    public ReadOnlySpan<float> Popularity { get; } = popularity;

    public float PopularityWeight { get; } = popularityWeight;
}

/// <summary>
/// Top-k of a linear scan over a shard's item vectors, in blocks of rows with SIMD dot products and a bounded
/// heap (never a sort of the catalog, no allocation proportional to it). The eligibility test (active, filters,
/// exclusions) runs only for a candidate that would enter the top-k. A shard's scan (<see cref="Top"/>) reads the 8-bit
/// copy of the vectors and keeps a shortlist, which is then re-scored from the float16 copy; <see cref="TopExact"/> scans
/// float32 rows exactly, the reference the shortlist's recall is measured against.
/// </summary>
public static class CatalogScan
{
    /// <summary>Rows scored per SIMD pass: the scores of a block stay in L1.</summary>
    public const int Block = 256;

    /// <summary>
    /// Candidates the 8-bit pass keeps per wanted item. Recall@10 against the exact scan is measured by the tests and by
    /// <c>bench perf</c> (docs/performance.md).
    /// </summary>
    public static int ShortlistSize(int k) => 4 * k + 32;

    /// <param name="quantized">The 8-bit copy of at least <paramref name="count"/> rows of the query vector's length.</param>
    /// <param name="exact">The float16 copy of the same rows, for re-scoring the shortlist.</param>
    public static Scored[] Top(
        QuantizedRows quantized, HalfRows exact, int count, ScanTerms terms, int k, Func<int, bool> eligible)
    {
        if (VectorMath.IsZero(terms.Vector))
        {
            return TopExact([], count, terms, k, eligible);
        }

        Span<float> dots = stackalloc float[Block];
        Span<sbyte> query = stackalloc sbyte[terms.Vector.Length];
        var queryScale = QuantizedRows.QuantizeQuery(terms.Vector, query);
        var shortlist = new TopK(ShortlistSize(k));
        for (var start = 0; start < count; start += Block)
        {
            var block = dots[..Math.Min(Block, count - start)];
            quantized.Dots(query, queryScale, start, block);
            Collect(shortlist, start, block, terms, eligible);
        }

        // Re-scored in any order: the heap keeps the same k, ties to the lower slot, whatever the order of offers.
        var top = new TopK(k);
        foreach (var candidate in shortlist.Unordered)
        {
            top.Add(candidate.Index, Score(candidate.Index, exact.Dot(candidate.Index, terms.Vector), terms));
        }

        return top.ToSortedArray();
    }

    /// <param name="rows">Row-major float32 vectors, at least <paramref name="count"/> rows of the query vector's length (none needed without a query vector).</param>
    public static Scored[] TopExact(ReadOnlySpan<float> rows, int count, ScanTerms terms, int k, Func<int, bool> eligible)
    {
        var personalized = !VectorMath.IsZero(terms.Vector);
        Span<float> dots = stackalloc float[Block];
        var top = new TopK(k);
        for (var start = 0; start < count; start += Block)
        {
            var block = dots[..Math.Min(Block, count - start)];
            if (personalized)
            {
                RowDots.Compute(rows[(start * terms.Vector.Length)..], terms.Vector, block);
            }
            else
            {
                block.Clear();
            }

            Collect(top, start, block, terms, eligible);
        }

        return top.ToSortedArray();
    }

    /// <summary>Adds the other terms to a block of dot products and offers the block's slots to the heap.</summary>
    private static void Collect(TopK top, int start, Span<float> scores, ScanTerms terms, Func<int, bool> eligible)
    {
        // Same operations as Score, a block at a time: co-occurrence + dot, then + weight * popularity.
        if (!terms.CoOccurrence.IsEmpty)
        {
            TensorPrimitives.Add(scores, terms.CoOccurrence.Slice(start, scores.Length), scores);
        }

        if (terms.PopularityWeight > 0)
        {
            TensorPrimitives.MultiplyAdd(terms.Popularity.Slice(start, scores.Length), terms.PopularityWeight, scores, scores);
        }

        // Slots come in increasing order and ties go to the lower slot, so an equal score never enters. Once the heap is
        // full few slots beat its threshold: eight are compared at once, and only those above it are looked at.
        var threshold = top.Threshold;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var first = ref MemoryMarshal.GetReference(scores);
            for (; i + Vector256<float>.Count <= scores.Length; i += Vector256<float>.Count)
            {
                var above = Vector256.GreaterThan(Vector256.LoadUnsafe(ref first, (nuint)i), Vector256.Create(threshold)).ExtractMostSignificantBits();
                for (; above != 0; above &= above - 1)
                {
                    var lane = i + BitOperations.TrailingZeroCount(above);
                    Offer(top, start + lane, scores[lane], ref threshold, eligible);
                }
            }
        }

        for (; i < scores.Length; i++)
        {
            Offer(top, start + i, scores[i], ref threshold, eligible);
        }
    }

    /// <summary>Adds the slot if it beats the threshold (which may have risen since its lanes were compared) and is eligible.</summary>
    private static void Offer(TopK top, int slot, float score, ref float threshold, Func<int, bool> eligible)
    {
        if (score > threshold && eligible(slot))
        {
            top.Add(slot, score);
            threshold = top.Threshold;
        }
    }

    private static float Score(int slot, float dot, ScanTerms terms)
    {
        var score = (terms.CoOccurrence.IsEmpty ? 0f : terms.CoOccurrence[slot]) + dot;
        if (terms.PopularityWeight > 0)
        {
            score += terms.PopularityWeight * terms.Popularity[slot];
        }

        return score;
    }
}

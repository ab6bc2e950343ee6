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
    /// Candidates the 8-bit pass keeps for the k wanted. Recall@10 against the exact float32 scan stops rising at about
    /// k + 6 (what is left is float16's rounding); this keeps twice that. Measured by the tests and by <c>bench perf</c>
    /// (docs/performance.md).
    /// </summary>
    public static int ShortlistSize(int k) => 2 * k + 16;

    /// <summary>
    /// Rows a scan scores before it offers any of them to the shortlist: their scores (16 KB) give the shortlist's entry
    /// bar from a sample.
    /// </summary>
    public const int ChunkRows = 16 * Block;

    /// <summary>One score in this many of a chunk is sampled for its entry bar.</summary>
    private const int SampleStride = 8;

    /// <param name="quantized">The 8-bit copy of at least <paramref name="count"/> rows of the query vector's length.</param>
    /// <param name="exact">The float16 copy of the same rows, for re-scoring the shortlist.</param>
    public static Scored[] Top(
        QuantizedRows quantized, HalfRows exact, int count, ScanTerms terms, int k, Func<int, bool> eligible)
    {
        if (VectorMath.IsZero(terms.Vector))
        {
            return TopExact([], count, terms, k, eligible);
        }

        Span<float> scores = stackalloc float[ChunkRows];
        Span<sbyte> query = stackalloc sbyte[terms.Vector.Length];
        var queryScale = QuantizedRows.QuantizeQuery(terms.Vector, query);
        var shortlist = new TopK(ShortlistSize(k));
        for (var start = 0; start < count; start += ChunkRows)
        {
            var chunk = scores[..Math.Min(ChunkRows, count - start)];
            for (var block = 0; block < chunk.Length; block += Block)
            {
                quantized.Dots(query, queryScale, start + block, chunk.Slice(block, Math.Min(Block, chunk.Length - block)));
            }

            AddTerms(start, chunk, terms);
            // Offered in slot order, a chunk's slots would enter the shortlist about m ln(n / m) times as its bar rises,
            // each entry costing the eligibility test and a heap step. Offering first only the slots above a bar that
            // about 1.5 m of them pass, then the rest only if fewer than m of those were eligible, gives the same list.
            var bar = EntryBar(chunk, shortlist.Capacity);
            Collect(shortlist, start, chunk, bar, float.PositiveInfinity, eligible);
            if (bar > float.NegativeInfinity && shortlist.Threshold <= bar)
            {
                Collect(shortlist, start, chunk, float.NegativeInfinity, bar, eligible);
            }
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

            AddTerms(start, block, terms);
            Collect(top, start, block, float.NegativeInfinity, float.PositiveInfinity, eligible);
        }

        return top.ToSortedArray();
    }

    /// <summary>Adds the other terms to dot products of the slots from <paramref name="start"/> on.</summary>
    private static void AddTerms(int start, Span<float> scores, ScanTerms terms)
    {
        // Same operations as Score, many slots at a time: co-occurrence + dot, then + weight * popularity.
        if (!terms.CoOccurrence.IsEmpty)
        {
            TensorPrimitives.Add(scores, terms.CoOccurrence.Slice(start, scores.Length), scores);
        }

        if (terms.PopularityWeight > 0)
        {
            TensorPrimitives.MultiplyAdd(terms.Popularity.Slice(start, scores.Length), terms.PopularityWeight, scores, scores);
        }
    }

    /// <summary>
    /// A score that about 1.5 <paramref name="capacity"/> of <paramref name="scores"/> exceed, estimated from every
    /// <see cref="SampleStride"/>th; negative infinity when the scores are too few for a sample to say.
    /// </summary>
    private static float EntryBar(ReadOnlySpan<float> scores, int capacity)
    {
        var rank = capacity * 3 / 2 / SampleStride + 1;
        if (scores.Length / SampleStride <= 2 * rank)
        {
            return float.NegativeInfinity;
        }

        var sample = new TopK(rank);
        var threshold = float.NegativeInfinity;
        for (var i = 0; i < scores.Length; i += SampleStride)
        {
            if (scores[i] > threshold)
            {
                sample.Add(i, scores[i]);
                threshold = sample.Threshold;
            }
        }

        return threshold;
    }

    /// <summary>
    /// Offers the slots whose score is above <paramref name="floor"/> and the heap's threshold and at most
    /// <paramref name="ceiling"/>, in slot order.
    /// </summary>
    private static void Collect(TopK top, int start, ReadOnlySpan<float> scores, float floor, float ceiling, Func<int, bool> eligible)
    {
        // Slots come in increasing order and ties go to the lower slot, so an equal score never enters. Once the heap is
        // full few slots beat its threshold: eight are compared at once, and only those above it are looked at.
        var threshold = MathF.Max(top.Threshold, floor);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var first = ref MemoryMarshal.GetReference(scores);
            var upper = Vector256.Create(ceiling);
            for (; i + Vector256<float>.Count <= scores.Length; i += Vector256<float>.Count)
            {
                var lanes = Vector256.LoadUnsafe(ref first, (nuint)i);
                var inside = Vector256.GreaterThan(lanes, Vector256.Create(threshold)) & Vector256.LessThanOrEqual(lanes, upper);
                for (var mask = inside.ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                {
                    var lane = i + BitOperations.TrailingZeroCount(mask);
                    Offer(top, start + lane, scores[lane], floor, ref threshold, eligible);
                }
            }
        }

        for (; i < scores.Length; i++)
        {
            if (scores[i] <= ceiling)
            {
                Offer(top, start + i, scores[i], floor, ref threshold, eligible);
            }
        }
    }

    /// <summary>Adds the slot if it beats the threshold (which may have risen since its lanes were compared) and is eligible.</summary>
    private static void Offer(TopK top, int slot, float score, float floor, ref float threshold, Func<int, bool> eligible)
    {
        if (score > threshold && eligible(slot))
        {
            top.Add(slot, score);
            threshold = MathF.Max(top.Threshold, floor);
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

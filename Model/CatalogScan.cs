using System.Numerics.Tensors;

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
/// exclusions) runs only for a candidate that would enter the top-k. With a <see cref="QuantizedRows"/> copy the scan
/// reads 8-bit vectors and keeps a shortlist, which is then re-scored exactly in float32.
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

    /// <param name="rows">Item vectors, at least <paramref name="count"/> rows of the query vector's length.</param>
    /// <param name="quantized">An 8-bit copy of the same rows, or null for the exact float32 scan.</param>
    public static Scored[] Top(
        RowPages rows, int count, QuantizedRows? quantized, ScanTerms terms, int k, Func<int, bool> eligible)
    {
        var personalized = !VectorMath.IsZero(terms.Vector);
        Span<float> dots = stackalloc float[Block];
        if (quantized is null || !personalized)
        {
            var top = new TopK(k);
            for (var start = 0; start < count; start += Block)
            {
                var block = dots[..Math.Min(Block, count - start)];
                if (personalized)
                {
                    RowDots.Compute(rows.From(start), terms.Vector, block);
                }
                else
                {
                    block.Clear();
                }

                Collect(top, start, block, terms, eligible);
            }

            return top.ToSortedArray();
        }

        Span<sbyte> query = stackalloc sbyte[terms.Vector.Length];
        var queryScale = QuantizedRows.QuantizeQuery(terms.Vector, query);
        var shortlist = new TopK(ShortlistSize(k));
        for (var start = 0; start < count; start += Block)
        {
            var block = dots[..Math.Min(Block, count - start)];
            quantized.Dots(query, queryScale, start, block);
            Collect(shortlist, start, block, terms, eligible);
        }

        var exact = new TopK(k);
        foreach (var candidate in shortlist.ToSortedArray())
        {
            RowDots.Compute(rows.Row(candidate.Index), terms.Vector, dots[..1]);
            exact.Add(candidate.Index, Score(candidate.Index, dots[0], terms));
        }

        return exact.ToSortedArray();
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

        var threshold = top.Threshold;
        for (var i = 0; i < scores.Length; i++)
        {
            // Slots come in increasing order and ties go to the lower slot, so an equal score never enters.
            if (scores[i] > threshold && eligible(start + i))
            {
                top.Add(start + i, scores[i]);
                threshold = top.Threshold;
            }
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

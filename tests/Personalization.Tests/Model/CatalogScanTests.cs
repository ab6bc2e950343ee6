using Personalization.Bench.Perf;
using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class CatalogScanTests
{
    [Theory]
    [InlineData(64)] // Vector512 where available
    [InlineData(24)] // Vector256
    [InlineData(7)] // one TensorPrimitives call per row
    public void Row_dots_match_scalar_dot_products(int dimension)
    {
        var random = new Random(dimension);
        var rows = Centered(random, 300 * dimension);
        var query = Centered(random, dimension);
        var scores = new float[300];

        RowDots.Compute(rows, query, scores);

        for (var i = 0; i < scores.Length; i++)
        {
            var expected = Enumerable.Range(0, dimension).Sum(j => (double)rows[i * dimension + j] * query[j]);
            Assert.Equal(expected, scores[i], 1e-4);
        }
    }

    [Fact]
    public void Quantized_dots_are_close_to_exact_ones_in_every_chunk()
    {
        const int d = 64;
        const int n = 600;
        var random = new Random(3);
        var rows = Centered(random, n * d);
        var query = Centered(random, d);
        var quantized = new QuantizedRows(d, rowsPerChunk: 256);
        for (var i = 0; i < n; i++)
        {
            quantized.Set(i, rows.AsSpan(i * d, d));
        }

        var queryBits = new sbyte[d];
        var queryScale = QuantizedRows.QuantizeQuery(query, queryBits);
        var approximate = new float[n];
        for (var start = 0; start < n; start += 256)
        {
            quantized.Dots(queryBits, queryScale, start, approximate.AsSpan(start, Math.Min(256, n - start)));
        }

        var exact = new float[n];
        RowDots.Compute(rows, query, exact);

        // Each component is off by at most half a step (max/254); summed over 64 components that stays well below 0.05.
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(exact[i], approximate[i], 0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => quantized.Dots(queryBits, queryScale, 200, new float[100]));
    }

    [Fact]
    public void Exact_scan_equals_a_full_sort_with_every_term_and_filter()
    {
        const int d = 16;
        const int n = 1000;
        var random = new Random(5);
        // Coarse values force ties, which go to the lower slot.
        var rows = Enumerable.Range(0, n * d).Select(_ => random.Next(-2, 3) * 0.5f).ToArray();
        var query = Enumerable.Range(0, d).Select(_ => random.Next(-2, 3) * 0.5f).ToArray();
        var coOccurrence = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? 3f : 0f).ToArray();
        var popularity = Enumerable.Range(0, n).Select(_ => random.Next(0, 4) * 0.25f).ToArray();
        bool Eligible(int slot) => slot % 5 != 0;

        var top = CatalogScan.TopExact(rows, n, new ScanTerms(query, coOccurrence, popularity, 0.5f), 20, Eligible);

        var expected = Enumerable.Range(0, n).Where(Eligible)
            .Select(i => (i, score: coOccurrence[i] + Enumerable.Range(0, d).Sum(j => rows[i * d + j] * query[j]) + 0.5f * popularity[i]))
            .OrderByDescending(x => x.score).ThenBy(x => x.i).Take(20).Select(x => x.i);
        Assert.Equal(expected, top.Select(s => s.Index));
    }

    [Fact]
    public void Shard_scan_across_chunks_finds_the_exact_top_with_every_term_and_filter()
    {
        const int d = 64;
        const int n = 1000;
        var random = new Random(7);
        var rows = Centered(random, n * d);
        var query = Centered(random, d);
        var coOccurrence = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? 3f : 0f).ToArray();
        var popularity = Enumerable.Range(0, n).Select(_ => random.NextSingle()).ToArray();
        bool Eligible(int slot) => slot % 5 != 0;
        // Chunks of 256 rows, the last one partly filled.
        var (quantized, halves) = (new QuantizedRows(d, 256), new HalfRows(d, 256));
        for (var i = 0; i < n; i++)
        {
            quantized.Set(i, rows.AsSpan(i * d, d));
            halves.Set(i, rows.AsSpan(i * d, d));
        }

        var terms = new ScanTerms(query, coOccurrence, popularity, 0.5f);
        var top = CatalogScan.Top(quantized, halves, n, terms, 10, Eligible);

        var exact = CatalogScan.TopExact(rows, n, terms, 10, Eligible);
        Assert.Equal(exact.Select(s => s.Index), top.Select(s => s.Index));
        Assert.All(top.Zip(exact), pair => Assert.Equal(pair.Second.Score, pair.First.Score, 0.01));
    }

    [Theory]
    [InlineData(0)] // the slots a sampled entry bar lets through are eligible
    [InlineData(300)] // the best 300 are excluded: fewer than the shortlist pass the bar, the rest must be offered too
    public void Shard_scan_over_several_score_chunks_finds_the_exact_top_whichever_slots_are_excluded(int excludedBest)
    {
        const int d = 64;
        const int n = 2 * CatalogScan.ChunkRows + 1000;
        var random = new Random(11);
        var rows = Centered(random, n * d);
        var query = Centered(random, d);
        var terms = new ScanTerms(query, [], [], 0);
        var (quantized, halves) = (new QuantizedRows(d, 256), new HalfRows(d, 256));
        for (var i = 0; i < n; i++)
        {
            quantized.Set(i, rows.AsSpan(i * d, d));
            halves.Set(i, rows.AsSpan(i * d, d));
        }

        var excluded = CatalogScan.TopExact(rows, n, terms, excludedBest + 1, _ => true).Take(excludedBest).Select(s => s.Index).ToHashSet();
        bool Eligible(int slot) => !excluded.Contains(slot);

        var top = CatalogScan.Top(quantized, halves, n, terms, 10, Eligible);

        Assert.Equal(CatalogScan.TopExact(rows, n, terms, 10, Eligible).Select(s => s.Index), top.Select(s => s.Index));
    }

    [Fact]
    public void Without_a_vector_only_the_other_terms_count()
    {
        var popularity = new[] { 0.1f, 0.9f, 0.5f };
        var terms = new ScanTerms([], [], popularity, 1f);
        Assert.Equal([1, 2], CatalogScan.TopExact([], 3, terms, 2, _ => true).Select(s => s.Index));
        Assert.Equal([1, 2], CatalogScan.Top(new QuantizedRows(4, 256), new HalfRows(4, 256), 3, terms, 2, _ => true).Select(s => s.Index));
    }

    [Fact]
    public void Quantized_scan_with_exact_rescoring_keeps_recall_at_10_of_at_least_0_99()
    {
        // Hashed-embedding items cluster tightly by category and tag: many near-ties, the hard case for 8 bits.
        var settings = new LearningOptions();
        const int n = 20_000;
        var vectors = SyntheticCatalog.Vectors(n, settings);

        var recall = Ceilings.Scan(vectors, n, settings.Dimension, queries: 100).RecallAt10;

        Assert.True(recall >= 0.99, $"recall@10 {recall:F3}");
    }

    /// <summary>Values uniform in [-0.5, 0.5).</summary>
    private static float[] Centered(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextSingle() - 0.5f)];
}

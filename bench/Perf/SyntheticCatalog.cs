using Personalization.Model;

namespace Personalization.Bench.Perf;

/// <summary>
/// The catalogs of <c>bench perf</c>: item i has one of 50 categories and one of 2,000 tags, so its starting vector (the
/// hashed embedding the service gives it) lies near many others, as in a real catalog.
/// </summary>
public static class SyntheticCatalog
{
    public static string ItemId(int i) => $"item-{i}";

    public static (string Category, string Tag) Metadata(int i)
    {
        var random = new DeterministicRandom((ulong)i * 0x9E3779B97F4A7C15UL + 1);
        return ($"genre-{random.Next(50)}", $"tag-{random.Next(2000)}");
    }

    /// <summary>The starting vectors of items 0 .. count-1, row-major, as the catalog shards compute them.</summary>
    public static float[] Vectors(int count, LearningOptions settings)
    {
        var vectors = new float[(long)count * settings.Dimension];
        Parallel.For(0, count, i =>
        {
            var (category, tag) = Metadata(i);
            HashedEmbedding.ForItem(ItemId(i), [category], [tag], settings).CopyTo(vectors, (long)i * settings.Dimension);
        });
        return vectors;
    }

    /// <summary>A user-like query: the unit direction of one item's vector plus noise of a third of its length.</summary>
    public static float[] Query(ReadOnlySpan<float> vectors, int count, int dimension, int seed)
    {
        var random = new DeterministicRandom((ulong)seed + 12345);
        var query = vectors.Slice(random.Next(count) * dimension, dimension).ToArray();
        VectorMath.Normalize(query);
        var noise = HashedEmbedding.Direction($"query-{seed}", dimension);
        VectorMath.AddScaled(query, noise, 1f / 3);
        return query;
    }
}

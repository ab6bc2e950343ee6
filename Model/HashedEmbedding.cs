namespace Personalization.Model;

/// <summary>
/// The starting vector of an item: a deterministic random direction per category and tag, summed, plus a little
/// per-item noise. Items that share metadata start close together, so a new item is recommendable at once.
/// </summary>
public static class HashedEmbedding
{
    public static float[] ForItem(string itemId, IReadOnlyList<string> categories, IReadOnlyList<string> tags, LearningOptions settings)
    {
        var vector = new float[settings.Dimension];
        foreach (var category in categories)
        {
            AddTokenDirection(vector, "category:" + category, 1f);
        }

        foreach (var tag in tags)
        {
            AddTokenDirection(vector, "tag:" + tag, settings.TagWeight);
        }

        VectorMath.Normalize(vector);
        var noise = Direction("item:" + itemId, settings.Dimension);
        var hasMetadata = categories.Count + tags.Count > 0;
        var scale = hasMetadata ? settings.InitialItemNorm : 0f;
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = vector[i] * scale + noise[i] * settings.InitialNoiseNorm;
        }

        return vector;
    }

    private static void AddTokenDirection(float[] vector, string token, float weight) =>
        VectorMath.AddScaled(vector, Direction(token, vector.Length), weight);

    /// <summary>A unit vector that depends only on <paramref name="token"/>.</summary>
    public static float[] Direction(string token, int dimension)
    {
        var random = new DeterministicRandom(IdHash.Of(token));
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            vector[i] = random.NextGaussian();
        }

        VectorMath.Normalize(vector);
        return vector;
    }
}

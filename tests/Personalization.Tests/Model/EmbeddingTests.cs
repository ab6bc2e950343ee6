using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class EmbeddingTests
{
    private static readonly LearningOptions _settings = new();

    [Fact]
    public void Items_sharing_a_category_start_closer_than_items_that_do_not()
    {
        var a = HashedEmbedding.ForItem("a", ["Horror"], [], _settings);
        var b = HashedEmbedding.ForItem("b", ["Horror"], [], _settings);
        var c = HashedEmbedding.ForItem("c", ["Comedy"], [], _settings);
        Assert.True(Cosine(a, b) > 0.9f);
        Assert.True(Math.Abs(Cosine(a, c)) < 0.5f);
    }

    [Fact]
    public void Embeddings_are_deterministic_and_differ_per_item()
    {
        var first = HashedEmbedding.ForItem("x", ["Drama"], ["90s"], _settings);
        Assert.Equal(first, HashedEmbedding.ForItem("x", ["Drama"], ["90s"], _settings));
        Assert.NotEqual(first, HashedEmbedding.ForItem("y", ["Drama"], ["90s"], _settings));
    }

    [Fact]
    public void An_item_without_metadata_still_has_a_nonzero_vector()
    {
        Assert.False(VectorMath.IsZero(HashedEmbedding.ForItem("bare", [], [], _settings)));
    }

    private static float Cosine(float[] a, float[] b) => VectorMath.Dot(a, b) / (VectorMath.Norm(a) * VectorMath.Norm(b));
}

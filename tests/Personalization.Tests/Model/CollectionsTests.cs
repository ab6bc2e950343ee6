using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class CollectionsTests
{
    [Fact]
    public void RecentSet_evicts_the_least_recently_touched_key()
    {
        var set = new RecentSet(3, ["a", "b", "c"]);
        set.Touch("a");
        set.Touch("d");
        Assert.False(set.Contains("b"));
        Assert.Equal(["c", "a", "d"], set.OldestFirst());
        Assert.Equal(["d", "a", "c"], set.NewestFirst());
    }

    [Fact]
    public void DecayingCount_halves_after_one_half_life_and_keeps_ratios()
    {
        var halfLife = TimeSpan.FromDays(1);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var a = default(DecayingCount).Add(4, t0, halfLife);
        var b = default(DecayingCount).Add(1, t0.AddHours(12), halfLife);
        Assert.Equal(2, a.ValueAt(t0 + halfLife, halfLife), 6);
        var ratioSoon = a.ValueAt(t0.AddDays(2), halfLife) / b.ValueAt(t0.AddDays(2), halfLife);
        var ratioLater = a.ValueAt(t0.AddDays(9), halfLife) / b.ValueAt(t0.AddDays(9), halfLife);
        Assert.Equal(ratioSoon, ratioLater, 6);
    }

    [Fact]
    public void Mmr_without_diversity_keeps_score_order_and_with_diversity_avoids_near_duplicates()
    {
        var x = HashedEmbedding.Direction("x", 16);
        var y = HashedEmbedding.Direction("y", 16);
        float[] scores = [1.0f, 0.99f, 0.5f];
        float[][] vectors = [x, x.ToArray(), y];

        Assert.Equal([0, 1], Reranking.Mmr(scores, vectors, 2, 0));
        Assert.Equal([0, 2], Reranking.Mmr(scores, vectors, 2, 0.7));
    }
}

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
        Assert.Equal(["d", "a", "c"], set.Newest(5));
        Assert.Equal(["d", "a"], set.Newest(2));
    }

    [Fact]
    public void RecentSet_finds_the_same_keys_before_and_after_it_indexes_them()
    {
        var set = new RecentSet(100);
        for (var i = 0; i <= RecentSet.ScanLimit * 2; i++)
        {
            Assert.False(set.Contains($"k{i}"));
            set.Touch($"k{i}");
            Assert.True(set.Contains("k0"));
            Assert.True(set.Contains($"k{i}"));
        }

        set.Touch("k0");
        Assert.Equal("k0", set.Newest(1).Single());
        Assert.Equal("k1", set.OldestFirst()[0]);
    }

    [Fact]
    public void RecentSet_keeps_the_order_a_plain_list_would_through_many_touches_and_evictions()
    {
        var random = new Random(7);
        var set = new RecentSet(50);
        var model = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var key = $"k{random.Next(120)}";
            set.Touch(key);
            model.Remove(key);
            model.Add(key);
            if (model.Count > 50)
            {
                model.RemoveAt(0);
            }

            if (i % 997 == 0)
            {
                Assert.Equal(model, set.OldestFirst());
                Assert.Equal(Enumerable.Reverse(model).Take(20), set.Newest(20));
            }
        }

        Assert.Equal(model, set.OldestFirst());
        Assert.All(model, key => Assert.True(set.Contains(key)));
        Assert.Equal(model.Count, set.Count);
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

using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class TopKTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1000)]
    [InlineData(50, 30)]
    public void Keeps_the_same_items_as_a_full_sort(int k, int n)
    {
        var random = new Random(k * 7919 + n);
        // Coarse scores force ties, which must go to the lower index.
        var scores = Enumerable.Range(0, n).Select(_ => (float)random.Next(0, 40)).ToArray();
        var top = new TopK(k);
        for (var i = 0; i < n; i++)
        {
            top.Add(i, scores[i]);
        }

        var expected = scores.Select((score, index) => (score, index))
            .OrderByDescending(x => x.score).ThenBy(x => x.index).Take(k).Select(x => x.index);
        Assert.Equal(expected, top.ToSortedArray().Select(s => s.Index));
    }

    [Fact]
    public void Threshold_is_the_worst_kept_score_once_full()
    {
        var top = new TopK(2);
        top.Add(0, 5);
        Assert.Equal(float.NegativeInfinity, top.Threshold);
        top.Add(1, 3);
        top.Add(2, 4);
        Assert.Equal(4, top.Threshold);
    }
}

using Personalization.Grains.Catalog;

namespace Personalization.Tests.Grains;

public sealed class LabelSetsTests
{
    [Fact]
    public void Equal_lists_share_one_array_and_a_list_no_item_holds_any_more_is_dropped()
    {
        var labels = new LabelSets();
        var first = labels.Intern(["horror", "comedy"]);
        var second = labels.Intern(["horror", "comedy"]);
        var other = labels.Intern(["drama"]);

        Assert.Same(first, second);
        Assert.Equal(2, labels.Count);

        labels.Release(first);
        Assert.Equal(2, labels.Count);
        labels.Release(second);
        labels.Release(other);
        Assert.Equal(0, labels.Count);
    }

    [Fact]
    public void Items_relabelled_again_and_again_leave_only_the_lists_they_hold()
    {
        var labels = new LabelSets();
        var held = Enumerable.Range(0, 10).Select(item => labels.Intern([$"first-{item}"])).ToArray();

        for (var round = 0; round < 100; round++)
        {
            for (var item = 0; item < held.Length; item++)
            {
                var next = labels.Intern([$"round-{round}-{item}"]);
                labels.Release(held[item]);
                held[item] = next;
            }
        }

        Assert.Equal(held.Length, labels.Count);
        Assert.Empty(labels.Intern([]));
        labels.Release([]);
        Assert.Equal(held.Length, labels.Count);
    }
}

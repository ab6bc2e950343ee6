using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class CappedMapsTests
{
    [Fact]
    public void Past_the_capacity_the_entries_of_least_rank_go_and_the_rest_stay()
    {
        var map = new Dictionary<string, double> { ["a"] = 5, ["b"] = 1, ["c"] = 3, ["d"] = 2 };

        CappedMaps.DropLeast(map, capacity: 2, weight => weight);

        Assert.Equal(["a", "c"], map.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_entry_just_added_stays_even_when_it_ranks_least_so_that_it_can_grow()
    {
        var map = new Dictionary<string, double> { ["strong"] = 9, ["weak"] = 2, ["new"] = 1 };

        CappedMaps.DropLeast(map, capacity: 2, weight => weight, keep: "new");

        Assert.Equal(["new", "strong"], map.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_flood_of_new_entries_never_grows_the_map_past_its_capacity_nor_drops_the_strongest()
    {
        var map = new Dictionary<string, double> { ["favourite"] = 100 };

        for (var i = 0; i < 1_000; i++)
        {
            var key = $"invented-{i}";
            map[key] = 1;
            CappedMaps.DropLeast(map, capacity: 16, weight => weight, keep: key);
        }

        Assert.Equal(16, map.Count);
        Assert.Contains("favourite", map.Keys);
        Assert.Contains("invented-999", map.Keys);
    }

    [Fact]
    public void Ties_go_to_the_ordinal_first_key_so_that_a_replay_drops_the_same_entries()
    {
        var map = new Dictionary<string, double> { ["b"] = 1, ["a"] = 1, ["c"] = 1 };

        CappedMaps.DropLeast(map, capacity: 2, weight => weight);

        Assert.Equal(["b", "c"], map.Keys.Order(StringComparer.Ordinal));
    }
}

using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class ExposureTests
{
    [Fact]
    public void Pressure_is_zero_for_unseen_items_and_two_thirds_at_the_mean()
    {
        var ledger = new ExposureLedger();
        ledger.Record(["a", "a", "a", "b"]);

        // Mean count over served items 2, so pressure c / (c + 1): a 3/4, b 1/2, never served 0.
        Assert.Equal([0.75f, 0.5f, 0f], ledger.Pressure(["a", "b", "c"]));
    }

    [Fact]
    public void Counts_halve_by_volume_and_items_served_long_ago_are_forgotten()
    {
        var ledger = new ExposureLedger(halfLifeSlots: 4);
        ledger.Record(["a", "a", "a", "b"]);

        // After 4 slots: a 1.5, b 0.5; then c twice more: a 1.5, b 0.5, c 2 (mean 4/3).
        ledger.Record(["c", "c"]);
        var pressure = ledger.Pressure(["a", "b", "c"]);
        Assert.Equal(1.5f / (1.5f + 2f / 3), pressure[0], 5);
        Assert.Equal(0.5f / (0.5f + 2f / 3), pressure[1], 5);

        // Two more slots halve again: b (0.25) is dropped.
        ledger.Record(["c", "c"]);
        Assert.Equal(0f, ledger.Pressure(["b"])[0]);
    }

    [Fact]
    public void The_penalty_moves_an_over_exposed_item_below_a_close_runner_up()
    {
        float[] scores = [1.0f, 0.9f, 0.0f];
        float[] pressure = [0.75f, 0f, 0f];

        Assert.Equal(0.9f, Reranking.ExposureAdjusted(scores, pressure, 0)[1], 5);
        var adjusted = Reranking.ExposureAdjusted(scores, pressure, 0.5);
        Assert.True(adjusted[1] > adjusted[0]);
        Assert.True(adjusted[0] > adjusted[2]);
    }

    [Fact]
    public void Exploration_takes_only_less_exposed_candidates_each_once()
    {
        float[] reserve = [0.9f, 0.1f, 0.8f, 0f, 0.2f];

        Assert.Empty(Reranking.Exploration(3, reserve, 0, new Random(1)));
        var picks = Reranking.Exploration(3, reserve, 1, new Random(1));

        Assert.Equal([0, 1, 2], picks.Select(p => p.Slot));
        Assert.Equal([1, 3, 4], picks.Select(p => p.Candidate).Order());
    }
}
